import type { Page } from 'puppeteer-core';
import Papa from 'papaparse';
import { expect } from 'vitest';
import { exportTime } from '../../lib/csv/export';

/*
 * What a user does in the extension's pages, written once for every browser.
 * A browser session (Chrome or Firefox, see browsers.ts) opens the page; these
 * helpers drive it only through the page's public names (form fields, data-*).
 */

/** An open browser with Channel Desk installed: Chrome or Firefox. */
export interface ExtensionSession {
  openExtensionPage(file: string): Promise<Page>;
  close(): Promise<void>;
}

export async function saveSettings(page: Page, key: string, channels: string, options: { remember?: boolean } = {}) {
  await page.waitForSelector('input[name="adminKey"]');
  await page.$eval('input[name="adminKey"]', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('input[name="adminKey"]', key);
  await page.$eval('textarea[name="channelIds"]', (el) => ((el as HTMLTextAreaElement).value = ''));
  await page.type('textarea[name="channelIds"]', channels);
  const remembered = await page.$eval('input[name="rememberKey"]', (el) => (el as HTMLInputElement).checked);
  if (remembered !== (options.remember ?? false)) await page.click('input[name="rememberKey"]');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="saved"]');
}

/** Types a user ID in the popup and submits with Enter, as a user would. */
export async function checkUser(page: Page, userId: string) {
  await page.waitForSelector('input[name="userId"]');
  await page.$eval('input[name="userId"]', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('input[name="userId"]', userId);
  await page.keyboard.press('Enter');
}

export interface RelationRow {
  channel: string | null;
  relation: string | null;
  text: string | null;
}

/** Waits for the popup's result list and reads each row's channel and relation. */
export async function readRelationRows(page: Page): Promise<RelationRow[]> {
  await page.waitForSelector('li[data-channel-id]');
  return page.$$eval('li[data-channel-id]', (els) =>
    els.map((el) => ({
      channel: el.getAttribute('data-channel-id'),
      relation: el.getAttribute('data-relation'),
      text: el.textContent,
    })),
  );
}

/** Waits for an explained error and returns its code and text. */
export async function readError(page: Page): Promise<{ code: string | null; text: string | null }> {
  const el = await page.waitForSelector('[data-error-code]');
  return el!.evaluate((e) => ({ code: e.getAttribute('data-error-code'), text: e.textContent }));
}

/**
 * Checks a bulk-check CSV export as a manager's Excel would read it: UTF-8 BOM, a
 * header with each channel and its change time, one row per ID (in order) equal to
 * the simulator's truth, and never the key.
 */
/** The English UI's relation words, as the export writes them (locales/en.yml `relation`). */
const RELATION_WORDS: Record<string, string> = {
  ADDED: 'Friend (added)',
  BLOCKED: 'Blocked',
  NONE: 'Not added',
  UNKNOWN: 'Unknown',
};

/**
 * A bulk-check export (issue 16.4): UTF-8 with a BOM, each ID as an Excel text
 * cell ="…", per channel the relation word, its relation_code and the change
 * time in the browser's time zone with the offset (this machine's zone: the
 * browser runs here too). `filter` keeps only rows with that relation in some channel.
 */
export function expectBulkExport(
  bytes: Buffer,
  ids: readonly string[],
  truth: (userId: string, channelId: string) => { relation: string; updatedAt?: string },
  key: string,
  filter?: string,
) {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.trim().split('\r\n');
  const channels = ['_ZeUTxl', '_frxjem'];
  const expected = filter ? ids.filter((id) => channels.some((c) => truth(id, c).relation === filter)) : ids;
  expect(lines).toHaveLength(expected.length + 1);
  expect(lines[0]).toBe(
    'User ID,_ZeUTxl,_ZeUTxl relation_code,_ZeUTxl changed at,_frxjem,_frxjem relation_code,_frxjem changed at',
  );
  const rows = Papa.parse<string[]>(text.trim(), { newline: '\r\n' }).data.slice(1);
  rows.forEach((row, i) => {
    expect(row[0]).toBe(`="${expected[i]}"`);
    const cells = channels.flatMap((c) => {
      const t = truth(expected[i]!, c);
      return [RELATION_WORDS[t.relation], t.relation, exportTime(t.updatedAt)];
    });
    expect(row.slice(1)).toEqual(cells);
  });
  expect(bytes.toString('utf8')).not.toContain(key);
}

/** A popup with no key: the sandbox is on, clearly marked, with the way to add the real key. */
export async function expectSandboxCallToAction(session: ExtensionSession) {
  const popup = await session.openExtensionPage('popup.html');
  await popup.waitForSelector('[data-testid="no-key"]');
  expect(await popup.$('[data-testid="sandbox"] [data-testid="no-key"] button')).not.toBeNull();
  await popup.close();
}

/**
 * Presses a job's start button and waits until its progress reaches done,
 * recording every value the progress bar showed: the run must end at 100 and
 * never go backwards.
 */
export async function runJobWatchingProgress(page: Page, startSelector: string, timeout = 90_000) {
  await page.evaluate(() => {
    const seen: number[] = ((window as unknown as { __progress: number[] }).__progress = []);
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="job-progress"] [role="progressbar"]');
      const value = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
      if (!Number.isNaN(value) && seen[seen.length - 1] !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click(startSelector);
  await page.waitForSelector('[data-testid="job-progress"]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
    { timeout },
  );
  const progress = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
  expect(progress.at(-1)).toBe(100);
  expect([...progress].sort((a, b) => a - b)).toEqual(progress); // never goes backwards
  return progress;
}

/**
 * Issue 10 §6: the API host never learns it is called from a browser extension. Every request the
 * simulator logged (a GET and a POST among them) arrived without an `Origin` or a `Referer`.
 */
export function expectNoBrowserOrigin(
  log: readonly { method: string; path: string; headers?: { origin?: string; referer?: string } }[],
) {
  expect(log.some((e) => e.method === 'GET')).toBe(true);
  expect(log.some((e) => e.method === 'POST')).toBe(true);
  const revealing = log.filter((e) => !e.headers || e.headers.origin !== undefined || e.headers.referer !== undefined);
  expect(revealing.map((e) => `${e.method} ${e.path} ${JSON.stringify(e.headers)}`)).toEqual([]);
}

export interface ResultCell {
  user: string;
  channel: string;
  relation: string | null;
  reason: string | null;
  text: string | null;
}

/**
 * The cells of the bulk-check results' first `rows` rows, in order. The list is virtualised (only the rows
 * around the view are in the DOM), so it is scrolled from the top, half a view at a time, as a user would.
 */
export async function readResultCells(page: Page, rows: number): Promise<ResultCell[]> {
  const scroller = '[data-testid="results-scroll"]';
  await page.waitForSelector(`${scroller} tr[data-kakao-user-id]`);
  await page.$eval(scroller, (el) => el.scrollTo({ top: 0 }));
  const seen = new Map<number, ResultCell[]>();
  for (let step = 0; step < 400 && seen.size < rows; step++) {
    // Rows still being read from IndexedDB are placeholders (aria-busy): wait for them.
    await page.waitForFunction((s) => !document.querySelector(`${s} tr[aria-busy]`), {}, scroller);
    const cells = await page.$$eval(`${scroller} tr[data-kakao-user-id] td[data-channel-id]`, (els) =>
      els.map((el) => ({
        row: Number(el.closest('tr')!.getAttribute('aria-rowindex')) - 2,
        user: el.closest('tr')!.getAttribute('data-kakao-user-id')!,
        channel: el.getAttribute('data-channel-id')!,
        relation: el.getAttribute('data-relation'),
        reason: el.getAttribute('data-unknown-reason'),
        text: el.textContent,
      })),
    );
    const fresh = new Map<number, ResultCell[]>();
    for (const { row, ...cell } of cells)
      if (row < rows && !seen.has(row)) fresh.set(row, [...(fresh.get(row) ?? []), cell]);
    for (const [row, c] of fresh) seen.set(row, c);
    const atEnd = await page.$eval(scroller, (el) => {
      const before = el.scrollTop;
      el.scrollBy({ top: el.clientHeight / 2 });
      return el.scrollTop === before;
    });
    if (atEnd && fresh.size === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, c]) => c);
}
