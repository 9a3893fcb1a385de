import type { Page } from 'puppeteer-core';
import Papa from 'papaparse';
import { expect } from 'vitest';
import { exportTime } from '../../lib/csv/export';
import type { KakaoSimulator } from '../../lib/simulator/model';

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

/** The options page: the key and channels saved, then closed. */
export async function setUp(session: ExtensionSession, key: string, channels: readonly string[]) {
  const options = await session.openExtensionPage('options.html');
  await saveSettings(options, key, channels.join('\n'));
  await options.close();
}

/** On the options page: badges allowed on the sites `pattern` matches. */
export async function allowSite(options: Page, pattern: string) {
  await options.type('input[name="sitePattern"]', pattern);
  await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
  await options.waitForSelector('[data-testid="site-added"]');
}

/** A workspace section (`files`, `relationships`, `audiences`, …) at 1280 × 900. */
export async function openWorkspace(session: ExtensionSession, section: string): Promise<Page> {
  const page = await session.openExtensionPage(`workspace.html#/${section}`);
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

/** Waits until the page shows `count` badges, each with its relation. */
export async function waitForBadges(page: Page, count: number) {
  await page.waitForFunction(
    (n) => {
      const hosts = document.querySelectorAll('[data-kakao-badge-for]');
      return hosts.length === n && [...hosts].every((h) => h.hasAttribute('data-relation'));
    },
    { timeout: 60_000, polling: 50 },
    count,
  );
}

/** The source's paste mode, with `text` pasted (as one input event, like a paste). */
export async function pasteSource(page: Page, text: string) {
  await page.waitForSelector('[data-action="source-paste"]');
  await page.click('[data-action="source-paste"]');
  await page.waitForSelector('textarea[name="pasteText"]');
  await page.$eval(
    'textarea[name="pasteText"]',
    (el, v) => {
      (el as HTMLTextAreaElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

/** The bulk check (its section open): the IDs pasted, then started. */
export async function startBulkCheck(page: Page, ids: readonly string[]) {
  await pasteSource(page, ids.join('\n'));
  await page.waitForSelector('[data-testid="csv-preview"]');
  await page.click('[data-action="start-check"]');
}

/** Waits until the job progress (inside `scope`, if given) reaches `status`. */
export async function waitForJob(page: Page, status = 'done', { scope = '', timeout = 90_000 } = {}) {
  await page.waitForFunction(
    (s, want) => document.querySelector(`${s} [data-testid="job-progress"]`)?.getAttribute('data-status') === want,
    { timeout },
    scope,
    status,
  );
}

/** Runs the dry run (inside `scope`, if given) and waits for its report, with `valid` rows if given. */
export async function runDryRun(page: Page, { scope = '', valid }: { scope?: string; valid?: number } = {}) {
  await page.waitForSelector(`${scope} [data-action="dry-run"]`);
  await page.click(`${scope} [data-action="dry-run"]`);
  await page.waitForSelector(`${scope} [data-testid="dry-run"]${valid === undefined ? '' : `[data-valid="${valid}"]`}`);
}

/**
 * Creates a customer file of `channel` through the schema editor (whose "new file" button is inside `scope`), with
 * one predefined field if given; returns its ID, as the simulator knows it.
 */
export async function createFileInEditor(
  page: Page,
  sim: KakaoSimulator,
  { scope, name, channel, field }: { scope: string; name: string; channel: string; field?: string },
): Promise<string> {
  const before = new Set(sim.files(channel).map((f) => f.id));
  await page.click(`${scope} [data-action="new-file"]`);
  await page.waitForSelector(`${scope} input[name="fileName"]`);
  await page.type(`${scope} input[name="fileName"]`, name);
  if (field) await page.click(`${scope} input[name="predefinedField"][value="${field}"]`);
  await page.click(`${scope} [data-action="review-schema"]`);
  await page.click(`${scope} [data-action="confirm-create"]`);
  await page.waitForFunction(
    (n) => document.body.textContent?.includes(n) && !document.querySelector('[data-action="confirm-create"]'),
    {},
    name,
  );
  const created = sim.files(channel).find((f) => !before.has(f.id) && f.name === name);
  expect(created).toBeDefined();
  return created!.id;
}

/** The file's add-users (or delete-users) form opened from the files section (the first file if no ID). */
export async function openUsersImport(page: Page, mode: 'add-users' | 'delete-users', fileId?: string) {
  const row = fileId ? `tr[data-file-id="${fileId}"]` : 'tr[data-file-id]';
  await page.waitForSelector(`${row} [data-action="${mode}"]`);
  await page.click(`${row} [data-action="${mode}"]`);
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
