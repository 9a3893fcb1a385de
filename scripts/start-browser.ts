/*
 * The parts of `npm start` (scripts/start.ts) worth testing on their own: which browser it
 * runs, whether there is a screen to show it on, and the launch itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export interface Machine {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  exists(file: string): boolean;
}

/** Where Chromium and Chrome usually live, in the order `npm start` tries them. */
function browserCandidates(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    const apps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome'];
    return [
      ...apps.map((a) => `/Applications/${a}`),
      ...(env.HOME ? apps.map((a) => `${env.HOME}/Applications/${a}`) : []),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return [
      ...roots.map((r) => path.win32.join(r, 'Chromium', 'Application', 'chrome.exe')),
      ...roots.map((r) => path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe')),
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

export type BrowserChoice = { ok: true; path: string } | { ok: false; message: string };

/**
 * The browser to run: `CHROME_PATH` when set (it must exist: a typo is reported, not
 * silently replaced), else the first of the usual paths that exists.
 */
export function findBrowser(machine: Machine): BrowserChoice {
  const named = machine.env.CHROME_PATH?.trim();
  if (named) {
    return machine.exists(named)
      ? { ok: true, path: named }
      : { ok: false, message: `CHROME_PATH is set to ${named}, but there is no file there.` };
  }
  const candidates = browserCandidates(machine.platform, machine.env);
  const found = candidates.find((c) => machine.exists(c));
  if (found) return { ok: true, path: found };
  return {
    ok: false,
    message: [
      'No Chromium or Google Chrome found. Looked in:',
      ...candidates.map((c) => `  ${c}`),
      'Install one (Debian/Ubuntu: sudo apt-get install chromium), or name it:',
      '  CHROME_PATH=/path/to/chrome npm start',
    ].join('\n'),
  };
}

/**
 * Why the browser cannot be shown, or null when it can. Only Linux (and the BSDs) need a
 * display server named in the environment; macOS and Windows always have a screen.
 */
export function displayProblem(platform: NodeJS.Platform, env: Record<string, string | undefined>): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim()) return null;
  return [
    'npm start opens a browser window, but this machine has no display (neither DISPLAY nor WAYLAND_DISPLAY is set).',
    'On a server or in a container, run the tests instead (npm test: they drive headless browsers),',
    'or start a virtual display first, e.g. xvfb-run npm start.',
  ].join('\n');
}

export interface Desk {
  browser: Browser;
  extensionId: string;
  workspace: Page;
  /** Closes the browser (if still open) and removes the temporary profile. */
  close(): Promise<void>;
}

/**
 * Starts the browser with a fresh temporary profile, loads the unpacked extension (through
 * the DevTools pipe: branded Chrome 137+ ignores `--load-extension`) and opens the workspace.
 */
export async function launchDesk(
  browserPath: string,
  extensionDir: string,
  options: { headless?: boolean } = {},
): Promise<Desk> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-desk-start-'));
  const removeProfile = () => fs.rmSync(profile, { recursive: true, force: true });
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: browserPath,
      headless: options.headless ?? false,
      pipe: true,
      enableExtensions: true,
      userDataDir: profile,
      defaultViewport: null, // pages fill the window
      ignoreDefaultArgs: ['--enable-automation'], // no "controlled by automated software" bar
      // Chromium refuses to start as root without --no-sandbox (containers, some VMs).
      args: ['--no-first-run', '--no-default-browser-check', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    });
  } catch (err) {
    removeProfile();
    throw err;
  }
  try {
    const extensionId = await browser.installExtension(path.resolve(extensionDir));
    await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
      { timeout: 30_000 },
    );
    const [blank] = await browser.pages();
    const workspace = blank ?? (await browser.newPage());
    await workspace.goto(`chrome-extension://${extensionId}/workspace.html`, { waitUntil: 'load' });
    await workspace.bringToFront();
    return {
      browser,
      extensionId,
      workspace,
      async close() {
        if (browser.connected) await browser.close();
        removeProfile();
      },
    };
  } catch (err) {
    await browser.close();
    removeProfile();
    throw err;
  }
}
