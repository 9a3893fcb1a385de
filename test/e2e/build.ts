import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A test-only public key (its private half was never kept): the test build's manifest `key`. */
const TEST_MANIFEST_KEY = fs.readFileSync(path.join(ROOT, 'test/fixtures/extension-test-key.pub.b64'), 'utf8').trim();

/** The Chrome extension ID that key gives: the first 128 bits of its SHA-256, written with the letters a–p. */
function extensionIdOf(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((h) => String.fromCharCode(97 + parseInt(h, 16))).join('');
}
export const TEST_EXTENSION_ID = extensionIdOf(TEST_MANIFEST_KEY);

/**
 * Builds the real extension for a browser with the API origin overridden, the
 * way a release is built (same config, same entrypoints), into its own folder.
 */
export function buildExtension(target: 'chrome' | 'firefox', apiOrigin: string, outDir: string): string {
  const args = ['wxt', 'build', ...(target === 'firefox' ? ['-b', 'firefox'] : [])];
  execFileSync('npx', args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      WXT_KAKAO_API_ORIGIN: apiOrigin,
      CHANNEL_DESK_OUT_DIR: outDir,
      // Pins the Chrome extension ID (TEST_EXTENSION_ID), so a managed policy can name it.
      CHANNEL_DESK_TEST_MANIFEST_KEY: TEST_MANIFEST_KEY,
    },
  });
  const dir = path.join(outDir, target === 'firefox' ? 'firefox-mv3' : 'chrome-mv3'); // both MV3 (wxt.config.ts)
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`build produced no manifest in ${dir}`);
  return dir;
}
