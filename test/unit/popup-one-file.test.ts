import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { popupInOneFile } from '../../scripts/popup-one-file';

/*
 * Issue 14 §4: the built popup page loads one script and no stylesheet file (each request the browser serves
 * before the popup runs was most of its time to the first render on a busy machine).
 */

function builtTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'popup-one-'));
  fs.mkdirSync(path.join(dir, 'chunks'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'chunks/popup-AAAA.js'),
    'import{a as e}from"./shared-BBBB.js";import{c as t}from"./other-CCCC.js";globalThis.out=e+t;',
  );
  fs.writeFileSync(path.join(dir, 'chunks/shared-BBBB.js'), 'const a="shared-";export{a};');
  fs.writeFileSync(path.join(dir, 'chunks/other-CCCC.js'), 'const c="other";export{c};');
  fs.writeFileSync(path.join(dir, 'assets/shared-DDDD.css'), ':root{--bg:#fff}');
  fs.writeFileSync(path.join(dir, 'assets/other-EEEE.css'), '.card{color:red}');
  fs.writeFileSync(
    path.join(dir, 'popup.html'),
    `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>Channel Desk</title>
    <script type="module" crossorigin src="/chunks/popup-AAAA.js"></script>
    <link rel="modulepreload" crossorigin href="/chunks/shared-BBBB.js">
    <link rel="modulepreload" crossorigin href="/chunks/other-CCCC.js">
    <link rel="stylesheet" crossorigin href="/assets/shared-DDDD.css">
    <link rel="stylesheet" crossorigin href="/assets/other-EEEE.css">
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`,
  );
  return dir;
}

describe('the popup in one file', () => {
  it('loads one script with every chunk it imported, and its styles inline in their order', async () => {
    const dir = builtTree();
    await popupInOneFile(dir);
    const html = fs.readFileSync(path.join(dir, 'popup.html'), 'utf8');
    const scripts = [...html.matchAll(/src="\/([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(html).not.toContain('modulepreload');
    expect(html).not.toContain('rel="stylesheet"');
    expect(html.indexOf(':root{--bg:#fff}')).toBeLessThan(html.indexOf('.card{color:red}'));
    expect(html).toMatch(/<style>[\s\S]*<\/style>\s*<\/head>/);
    const code = fs.readFileSync(path.join(dir, scripts[0]!), 'utf8');
    expect(code).not.toMatch(/\bimport\b/);
    // The bundle runs on its own: what the chunks did together.
    new Function(code)();
    expect((globalThis as { out?: string }).out).toBe('shared-other');
    // The shared chunks stay for the other pages.
    expect(fs.existsSync(path.join(dir, 'chunks/shared-BBBB.js'))).toBe(true);
  });

  it('fails the build when the popup page has no entry script it knows', async () => {
    const dir = builtTree();
    fs.writeFileSync(path.join(dir, 'popup.html'), '<html><head></head><body></body></html>');
    await expect(popupInOneFile(dir)).rejects.toThrow(/no popup entry script/);
  });
});
