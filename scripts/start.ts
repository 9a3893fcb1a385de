/*
 * `npm start`: builds the Chrome extension and opens this machine's Chromium or Chrome with
 * Channel Desk loaded in a fresh temporary profile, on the workspace page. With no key saved,
 * everything answers from the sandbox (demo data); nothing reaches Kakao until you save one.
 *
 *   CHROME_PATH=/path/to/chrome npm start     # a browser that is not on the usual paths
 *
 * Close the browser window (or press Ctrl+C) to stop; the temporary profile is removed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { displayProblem, findBrowser, launchDesk } from './start-browser';

const ROOT = path.resolve(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

async function main() {
  const noDisplay = displayProblem(process.platform, process.env);
  if (noDisplay) fail(noDisplay);
  const choice = findBrowser({ platform: process.platform, env: process.env, exists: (f) => fs.existsSync(f) });
  if (!choice.ok) fail(choice.message);

  console.log('Building the Chrome extension (npx wxt build)…');
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const extensionDir = path.join(ROOT, process.env.CHANNEL_DESK_OUT_DIR ?? '.output', 'chrome-mv3');
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) fail(`The build left no manifest in ${extensionDir}.`);

  console.log(`Starting ${choice.path} with Channel Desk in a fresh temporary profile…`);
  const desk = await launchDesk(choice.path, extensionDir);
  console.log(
    `Channel Desk is open: chrome-extension://${desk.extensionId}/workspace.html (sandbox until you save an Admin key).`,
  );
  console.log('Close the browser window, or press Ctrl+C here, to stop.');

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await desk.close().catch(() => undefined);
    process.exit(code);
  };
  desk.browser.on('disconnected', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

main().catch((err: unknown) => fail(`npm start failed: ${err instanceof Error ? err.message : String(err)}`));
