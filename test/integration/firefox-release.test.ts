import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The release builds, as `npm run build:chrome`, `npm run build:firefox` and
 * `npm run zip:firefox` make them (into a scratch folder). README's list of
 * differences between the Chrome and Firefox builds is checked here: any other
 * difference fails.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const GECKO = {
  id: 'channel-desk@channel-desk.dev',
  strict_min_version: '140.0',
  data_collection_permissions: { required: ['none'] },
};

let outDir: string;
const manifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(outDir, dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;

function wxt(...args: string[]) {
  execFileSync('npx', ['wxt', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CHANNEL_DESK_OUT_DIR: outDir, WXT_KAKAO_API_ORIGIN: '' },
  });
}

/** Entry names and contents of a zip file (stored or deflated entries), read from its central directory. */
function readZip(file: string): Map<string, Buffer> {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-release-'));
  wxt('build');
  wxt('zip', '-b', 'firefox');
}, 120_000);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('Chrome and Firefox release builds', () => {
  it('both are MV3; Firefox has a stable gecko id, Firefox 140+ and declares no data collection', () => {
    const chrome = manifest('chrome-mv3');
    const firefox = manifest('firefox-mv3');
    expect(chrome.manifest_version).toBe(3);
    expect(firefox.manifest_version).toBe(3);
    expect(firefox.browser_specific_settings).toEqual({ gecko: GECKO, gecko_android: { strict_min_version: '142.0' } });
    expect(chrome.browser_specific_settings).toBeUndefined();
  });

  it('differ only in the background entry, browser_specific_settings and storage (README lists these)', () => {
    const chrome = manifest('chrome-mv3');
    const firefox = manifest('firefox-mv3');
    const keys = new Set([...Object.keys(chrome), ...Object.keys(firefox)]);
    const differing = [...keys].filter((k) => JSON.stringify(chrome[k]) !== JSON.stringify(firefox[k])).sort();
    expect(differing).toEqual(['background', 'browser_specific_settings', 'storage']);
    // The organisation's policy schema: Chrome checks storage.managed against it; Firefox needs none.
    expect(chrome.storage).toEqual({ managed_schema: 'managed_schema.json' });
    expect(firefox.storage).toBeUndefined();
    // A release never carries the test build's manifest `key` (it would pin the extension ID).
    expect(chrome.key).toBeUndefined();
    expect(firefox.key).toBeUndefined();
    // Chrome: a service worker. Firefox MV3: an event page (Firefox has no extension service workers).
    expect(chrome.background).toEqual({ service_worker: 'background.js' });
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    // The same, narrow permissions: the Kakao API host only; sites and webhook endpoints are asked for at run time.
    expect(firefox.permissions).toEqual([
      'storage',
      'contextMenus',
      'scripting',
      'notifications',
      'activeTab',
      'alarms',
      'declarativeNetRequestWithHostAccess',
    ]);
    expect(firefox.host_permissions).toEqual(['https://kapi.kakao.com/*']);
    expect(firefox.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('ship the same files', () => {
    const list = (dir: string) =>
      (fs.readdirSync(path.join(outDir, dir), { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(outDir, dir, f)).isFile() && f !== 'manifest.json')
        .map((f) => f.replace(/-[\w-]{8}\.(js|css)$/, '.$1')) // chunk hashes may differ
        .sort();
    expect(list('firefox-mv3')).toEqual(list('chrome-mv3'));
  });

  it('zip:firefox makes the add-on zip (the build, as is) and a sources zip a reviewer can rebuild from', () => {
    const zips = fs
      .readdirSync(outDir)
      .filter((f) => f.endsWith('.zip'))
      .sort();
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(zips).toEqual([`channel-desk-${version}-firefox.zip`, `channel-desk-${version}-sources.zip`]);

    const addon = readZip(path.join(outDir, zips[0]!));
    expect(JSON.parse(addon.get('manifest.json')!.toString('utf8'))).toEqual(manifest('firefox-mv3'));

    const sources = [...readZip(path.join(outDir, zips[1]!)).keys()];
    for (const needed of [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'README.md',
      'entrypoints/background.ts',
      'locales/ko.yml',
    ]) {
      expect(sources).toContain(needed);
    }
    expect(sources.some((f) => f.startsWith('lib/kakao/'))).toBe(true);
    expect(sources.some((f) => f.startsWith('components/'))).toBe(true);
    const forbidden = sources.filter(
      (f) =>
        /^(node_modules|\.output|\.wxt|\.git|bench-results|docs\/screenshots|test\/e2e\/\.artifacts)\//.test(f) ||
        f.endsWith('.log'),
    );
    expect(forbidden).toEqual([]);
  });
});
