import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

// Listing material in store/ stays in step with the manifests and the extension's own strings.
const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

type ManifestFn = (env: { browser: string }) => {
  permissions: string[];
  host_permissions: string[];
  optional_host_permissions: string[];
  commands?: Record<string, unknown>;
  omnibox?: { keyword: string };
};
const manifestOf = (browser: string) => (config.manifest as unknown as ManifestFn)({ browser });

/** A level-2 section of a Markdown file: the text under `## title` up to the next `## `. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) return '';
  const body = markdown.slice(start + title.length + 5);
  const end = body.indexOf('\n## ');
  return (end < 0 ? body : body.slice(0, end)).trim();
}

describe('store/permissions.md', () => {
  const justified = [...read('store/permissions.md').matchAll(/^### `([^`]+)`$/gm)].map((m) => m[1]);

  it.each(['chrome', 'firefox'])('justifies every permission and host permission of the %s manifest, no more', (b) => {
    const manifest = manifestOf(b);
    const asked = [...manifest.permissions, ...manifest.host_permissions, ...manifest.optional_host_permissions];
    expect(asked.length).toBeGreaterThan(5);
    expect([...justified].sort()).toEqual([...asked].sort());
  });

  it.each(['chrome', 'firefox'])(
    'the %s manifest’s shortcuts and address-bar keyword are explained, and activeTab says it reads the selection',
    (b) => {
      const manifest = manifestOf(b);
      const text = read('store/permissions.md');
      expect(Object.keys(manifest.commands ?? {}).length).toBeGreaterThan(0);
      expect(section(text, 'Keyboard shortcuts and the address bar · 단축키와 주소창')).toContain(
        `\`${manifest.omnibox!.keyword}\``,
      );
      const activeTab = text.slice(text.indexOf('### `activeTab`'), text.indexOf('### `alarms`'));
      expect(activeTab).toContain('keyboard shortcut');
      expect(activeTab).toContain('단축키');
    },
  );

  it('every justification has an English and a Korean paragraph', () => {
    const blocks = read('store/permissions.md').split(/^### /m).slice(1);
    for (const block of blocks) {
      expect(block, block.split('\n')[0]).toMatch(/[A-Za-z]{4,} [a-z]+/);
      expect(block, block.split('\n')[0]).toMatch(/[가-힣]/);
    }
  });
});

describe('store listings', () => {
  it.each([
    [
      'en',
      'store/listing.en.md',
      ['Name', 'Short description (summary, at most 132 characters)', 'Single purpose', 'Long description'],
    ],
    ['ko', 'store/listing.ko.md', ['이름', '짧은 설명 (요약, 132자 이내)', '단일 목적', '자세한 설명']],
  ] as const)('%s: name, short and long descriptions, single purpose, privacy policy link', (lang, file, titles) => {
    const text = read(file);
    for (const title of titles) expect(section(text, title), title).not.toBe('');
    const short = section(text, titles[1]);
    expect(short.length).toBeLessThanOrEqual(132);
    // The summary is the manifest's description in that language (Chrome shows the manifest's).
    const description = /^extDescription: (.*)$/m.exec(read(`locales/${lang}.yml`))![1]!.trim();
    expect(short).toBe(description);
    expect(text).toContain('](../PRIVACY.md)');
  });

  it('the store screenshots are 1280×800 PNGs', () => {
    const dir = path.join(ROOT, 'store', 'screenshots');
    const shots = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(shots.length).toBeGreaterThanOrEqual(3);
    for (const shot of shots) {
      const png = fs.readFileSync(path.join(dir, shot));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], shot).toEqual([1280, 800]);
    }
  });
});
