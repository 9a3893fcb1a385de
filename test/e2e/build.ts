import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Builds the real extension for a browser with the API origin overridden, the
 * way a release is built (same config, same entrypoints), into its own folder.
 */
export function buildExtension(target: 'chrome' | 'firefox', apiOrigin: string, outDir: string): string {
  const args = ['wxt', 'build', ...(target === 'firefox' ? ['-b', 'firefox'] : [])];
  execFileSync('npx', args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WXT_KAKAO_API_ORIGIN: apiOrigin, CHANNEL_DESK_OUT_DIR: outDir },
  });
  const dir = path.join(outDir, target === 'firefox' ? 'firefox-mv3' : 'chrome-mv3'); // both MV3 (wxt.config.ts)
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`build produced no manifest in ${dir}`);
  return dir;
}
