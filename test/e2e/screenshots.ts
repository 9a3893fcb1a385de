import fs from 'node:fs';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { ROOT } from './build';

/**
 * `SCREENSHOTS=1 npm run test:e2e` refreshes the README's pictures in
 * docs/screenshots/ (and the store's in store/screenshots/, test/e2e/ship.e2e.test.ts).
 * Without it nothing is written: the assertions run either way.
 */
export async function saveScreenshot(
  target: Page | ElementHandle,
  name: string,
  options: { fullPage?: boolean; /** Relative to the repository; default docs/screenshots. */ dir?: string } = {},
) {
  if (!process.env.SCREENSHOTS) return;
  const dir = path.join(ROOT, options.dir ?? path.join('docs', 'screenshots'));
  fs.mkdirSync(dir, { recursive: true });
  await new Promise((r) => setTimeout(r, 400)); // let transitions (progress bars) settle
  const file = path.join(dir, `${name}.png`) as `${string}.png`;
  if ('goto' in target) await target.screenshot({ path: file, fullPage: options.fullPage ?? true });
  else await target.screenshot({ path: file });
}
