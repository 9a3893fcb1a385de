import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/*
 * The popup's first paint (issue 14 §4): the popup page loads one script and no stylesheet file.
 *
 * The pages are built together, so the popup's code comes in chunks it shares with the options page and the
 * workspace: its HTML asked for 9 scripts and 2 stylesheets. Each is a request the browser process serves before
 * the popup can run, and on a busy machine those requests, not parsing or running the code, were most of the time
 * to the first render (bench: 560 → 400 ms median, same minutes, load 16). After the build, the popup's entry
 * and every chunk it imports are bundled again into one file, and its stylesheets are inlined in its page. The
 * shared chunks stay for the other pages (the popup's own entry chunk too: WXT's build summary lists it). The
 * popup has no lazily loaded code: a dynamic import would be bundled in too, and the size budget
 * (.size-limit.cjs) would show it.
 */

/**
 * Bundled from source, not from the built chunks: its zod/mini schema would otherwise come with the chunk the
 * popup shares with the other pages, and with it every part of zod's core they use (+18 KB gzipped).
 */
const FIRST = fileURLToPath(new URL('../entrypoints/popup/first.ts', import.meta.url));
const SCRIPT = /<script type="module" crossorigin src="\/(chunks\/popup-[^"]+\.js)"><\/script>/;
const PRELOAD = /\s*<link rel="modulepreload" crossorigin href="\/[^"]+\.js">/g;
const STYLESHEET = /\s*<link rel="stylesheet" crossorigin href="\/([^"]+\.css)">/g;

/** Rewrites `outDir`/popup.html to load one bundled script, with its stylesheets inline. */
export async function popupInOneFile(outDir: string): Promise<void> {
  const htmlFile = path.join(outDir, 'popup.html');
  let html = fs.readFileSync(htmlFile, 'utf8');
  const entry = SCRIPT.exec(html)?.[1];
  if (!entry) throw new Error(`popupInOneFile: no popup entry script in ${htmlFile}`);
  const result = await build({
    // The popup's first code (the cached status's read) comes from source, ahead of the popup's chunks.
    stdin: {
      contents: [FIRST, path.join(outDir, entry)].map((file) => `import ${JSON.stringify(file)};`).join('\n'),
      resolveDir: outDir,
    },
    bundle: true,
    format: 'esm',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const file = `chunks/popup-one-${createHash('sha256').update(code).digest('hex').slice(0, 8)}.js`;
  fs.writeFileSync(path.join(outDir, file), code);
  const css = [...html.matchAll(STYLESHEET)].map((m) => fs.readFileSync(path.join(outDir, m[1]!), 'utf8'));
  if (css.some((text) => /url\(/.test(text)))
    throw new Error('popupInOneFile: a popup stylesheet refers to a file by a relative url(): not inlined');
  html = html
    .replace(PRELOAD, '')
    .replace(STYLESHEET, '')
    .replace(SCRIPT, `<script type="module" crossorigin src="/${file}"></script>`)
    .replace('</head>', `  <style>${css.join('\n')}</style>\n  </head>`);
  fs.writeFileSync(htmlFile, html);
}
