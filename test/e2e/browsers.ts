import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/** Debian's Chromium. A missing browser is a failure, never a skip. */
export function findChromium(): string {
  const found = process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found || !fs.existsSync(found)) {
    throw new Error(
      'Chromium not found: install Debian\'s "chromium" package (apt-get install chromium), or set CHROMIUM_PATH.',
    );
  }
  return found;
}

export interface ChromeSession {
  browser: Browser;
  extId: string;
  worker: WebWorker;
  /** Opens an extension page (e.g. "popup.html") in a new tab. */
  openExtensionPage(file: string): Promise<Page>;
  close(): Promise<void>;
}

export interface ChromeLaunchOptions {
  lang?: string;
  /**
   * A profile folder to use (and keep on close), so a test can close the browser and start it again on the same
   * profile, as a browser restart: storage.local and IndexedDB stay, storage.session is gone. Default: a fresh
   * temporary profile, removed on close.
   */
  userDataDir?: string;
}

/**
 * The extension's service worker, answering. On a reused profile Chrome may start the copy it remembers and then
 * replace it when the extension is installed again: a handle to the first one never answers, so wait for one that does.
 * "Answers" means its extension context is up (`chrome` defined): before that, an evaluation runs in a bare worker
 * scope, and on a fresh profile that lasts a few seconds.
 */
async function liveWorker(browser: Browser, extId: string): Promise<WebWorker> {
  for (let attempt = 1; ; attempt++) {
    const ready = () => typeof (globalThis as any).chrome?.runtime?.id === 'string';
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(extId), {
      timeout: 30_000,
    });
    const worker = await Promise.race([target.worker(), new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    const alive =
      worker !== null &&
      (await Promise.race([
        worker.evaluate(ready).catch(() => false),
        new Promise<false>((r) => setTimeout(() => r(false), 5_000)),
      ]));
    if (alive && worker) return worker;
    if (attempt >= 20) throw new Error(`the extension's service worker did not answer after ${attempt} tries`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function launchChromeWithExtension(
  extDir: string,
  options: ChromeLaunchOptions = {},
): Promise<ChromeSession> {
  const ownProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cd-chrome-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
      ...(options.lang ? [`--lang=${options.lang}`] : []),
    ],
    env: { ...process.env, ...(options.lang ? { LANGUAGE: options.lang } : {}) },
  });
  try {
    const extId = await browser.installExtension(path.resolve(extDir));
    const worker = await liveWorker(browser, extId);
    // A fresh install opens the options page in a new foreground tab. Wait for it, so it never comes up over a page
    // the test opened a moment later: the hidden page would draw no frames, and puppeteer's click waits for one
    // (its IntersectionObserver check), until the protocol times out.
    if (ownProfile) {
      await browser.waitForTarget((t) => t.url().startsWith(`chrome-extension://${extId}/options.html`), {
        timeout: 30_000,
      });
    }
    return {
      browser,
      extId,
      worker,
      async openExtensionPage(file) {
        const page = await browser.newPage();
        await page.goto(`chrome-extension://${extId}/${file}`, { waitUntil: 'load' });
        await page.bringToFront();
        return page;
      },
      async close() {
        await browser.close();
        if (ownProfile) fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

const FIREFOX_PATH = '/usr/bin/firefox-esr';
/** The gecko id in wxt.config.ts; Firefox keys the pinned moz-extension UUID by it. */
export const FIREFOX_EXTENSION_ID = 'channel-desk@channel-desk.dev';
/** Pinned through `extensions.webextensions.uuids`, so extension pages have a known address. */
const FIREFOX_EXTENSION_UUID = '5c0a1f3e-7d2b-4e6a-9c8d-0b1e2f3a4d5c';

/** Debian's Firefox ESR. A missing browser is a failure, never a skip. */
export function findFirefox(): string {
  const found = process.env.FIREFOX_PATH ?? FIREFOX_PATH;
  if (!fs.existsSync(found)) {
    throw new Error(
      `Firefox ESR not found at ${found}: install Debian's "firefox-esr" package (apt-get install firefox-esr), ` +
        `or set FIREFOX_PATH.`,
    );
  }
  return found;
}

export interface FirefoxSession {
  browser: Browser;
  /** The extension's gecko id (what `sender.id` and `runtime.id` are in Firefox). */
  extId: string;
  /** `moz-extension://<pinned uuid>` */
  origin: string;
  /** Opens an extension page (e.g. "popup.html") in a new tab and waits until it has loaded. */
  openExtensionPage(file: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Waits until `page` shows `url`, fully loaded. While a moz-extension page moves into
 * the extension process, BiDi evaluation can fail for a moment (the realm is being
 * replaced), so a failed probe means "not yet", until the deadline.
 */
async function waitForDocument(page: Page, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const ready = await page.evaluate(
        (expected) => location.href === expected && document.readyState === 'complete',
        url,
      );
      if (ready) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not load in ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/**
 * Firefox ESR over WebDriver BiDi with the extension installed as a temporary
 * add-on (toolchain.md §5): system access lets BiDi open moz-extension:// pages,
 * the uuids pref pins their host, and `goto` to them is never awaited (it does
 * not resolve in Firefox; we wait for the document instead).
 */
export interface FirefoxLaunchOptions {
  lang?: string;
  /** Saves every download into this folder without asking (Firefox's download prefs). */
  downloadDir?: string;
  /** Suspends the idle event page after this many ms (Firefox's default is 30 s). */
  backgroundIdleMs?: number;
  /**
   * A profile folder to use (and keep on close), as `ChromeLaunchOptions.userDataDir`: close and launch again on it
   * for a browser restart. The temporary add-on is installed again each time; its storage and uuid are kept.
   */
  userDataDir?: string;
}

export async function launchFirefoxWithExtension(
  extDir: string,
  options: FirefoxLaunchOptions = {},
): Promise<FirefoxSession> {
  const executablePath = findFirefox();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    args: ['--remote-allow-system-access'],
    ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
    extraPrefsFirefox: {
      // A temporary add-on is removed when Firefox closes: keep its IndexedDB and storage for the next start.
      ...(options.userDataDir
        ? {
            'extensions.webextensions.keepStorageOnUninstall': true,
            'extensions.webextensions.keepUuidOnUninstall': true,
          }
        : {}),
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
      // No network but 127.0.0.1: no update checks, telemetry or remote settings.
      'app.update.enabled': false,
      'extensions.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      // Accept permission requests without a doorhanger (headless has none to click); the request
      // itself still needs a real user gesture, which puppeteer's click provides.
      'extensions.webextOptionalPermissionPrompts': false,
      ...(options.lang ? { 'intl.locale.requested': options.lang, 'intl.accept_languages': options.lang } : {}),
      ...(options.downloadDir
        ? {
            'browser.download.dir': options.downloadDir,
            'browser.download.folderList': 2,
            'browser.download.useDownloadDir': true,
            'browser.download.always_ask_before_handling_new_types': false,
            'browser.helperApps.neverAsk.saveToDisk': 'text/csv',
            'browser.download.alwaysOpenPanel': false,
          }
        : {}),
      ...(options.backgroundIdleMs ? { 'extensions.background.idle.timeout': options.backgroundIdleMs } : {}),
    },
  });
  const origin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;
  try {
    const extId = await browser.installExtension(path.resolve(extDir));
    if (extId !== FIREFOX_EXTENSION_ID)
      throw new Error(`installed add-on has id ${extId}, expected ${FIREFOX_EXTENSION_ID}`);
    return {
      browser,
      extId,
      origin,
      async openExtensionPage(file) {
        const page = await browser.newPage();
        const url = `${origin}/${file}`;
        page.goto(url).catch(() => {}); // see above: resolves never, rejects late with "Frame detached"
        await waitForDocument(page, url);
        return page;
      },
      async close() {
        await browser.close();
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
