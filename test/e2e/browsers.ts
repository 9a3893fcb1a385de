import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/** Debian's Chromium. A missing browser is a failure, never a skip. */
export function findChromium(): string {
  const found = process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found || !fs.existsSync(found)) {
    throw new Error('Chromium not found: install Debian\'s "chromium" package (apt-get install chromium), or set CHROMIUM_PATH.');
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

export async function launchChromeWithExtension(extDir: string, options: { lang?: string } = {}): Promise<ChromeSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-chrome-'));
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
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(extId));
    const worker = (await target.worker())!;
    return {
      browser,
      extId,
      worker,
      async openExtensionPage(file) {
        const page = await browser.newPage();
        await page.goto(`chrome-extension://${extId}/${file}`, { waitUntil: 'load' });
        return page;
      },
      async close() {
        await browser.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
