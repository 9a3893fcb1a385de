import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import {
  createFileInEditor,
  openWorkspace,
  pasteSource,
  runDryRun,
  setUp,
  waitForJob,
  type ExtensionSession,
} from './flows';
import {
  launchChromeWithExtension,
  launchFirefoxWithExtension,
  type ChromeSession,
  type FirefoxSession,
} from './browsers';

/*
 * Issue 12, audiences (대상 목록): an audience imported from a 5,000-row .xlsx is re-checked (a bulk-check job, 200
 * IDs a call), the simulator flips 300 relations, a second re-check runs, and the changes view shows exactly those
 * 300 in their buckets (public contract: data-bucket, data-channel-id, data-count), with a bucket's IDs and its CSV
 * export; then the newest snapshot's friends of _ZeUTxl go into a new customer file (schema editor, an extra column
 * mapped to a field, dry run, upload) and the simulator's file holds exactly them. In Firefox ESR: an audience from
 * a paste, the re-check and the changes view.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const MULTI = '/v2/api/talk/channels/multi';
const BUCKETS = ['added', 'blocked', 'unblocked', 'left', 'unchanged', 'unknown'] as const;
let server: SimulatorServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-aud-e2e-'));

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const bucketOf = (from: string, to: string) =>
  to === 'BLOCKED' ? 'blocked' : from === 'BLOCKED' ? 'unblocked' : to === 'ADDED' ? 'added' : 'left';

/** What the changes view must show after `flipped`: per channel, per bucket, the IDs in audience order. */
function expectedBuckets(ids: string[], flipped: { userId: string; channelId: string; from: string; to: string }[]) {
  const order = new Map(ids.map((id, i) => [id, i]));
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of CHANNELS) {
    const mine = flipped.filter((f) => f.channelId === c);
    out[c] = Object.fromEntries(BUCKETS.map((b) => [b, [] as string[]]));
    for (const f of mine) out[c]![bucketOf(f.from, f.to)]!.push(f.userId);
    for (const b of BUCKETS) out[c]![b]!.sort((x, y) => order.get(x)! - order.get(y)!);
  }
  return out;
}

async function readCounts(page: Page) {
  await page.waitForSelector('[data-testid="audience-diff"] [data-bucket]');
  const cells = await page.$$eval('[data-testid="audience-diff"] button[data-bucket]', (els) =>
    els.map((el) => ({
      channel: el.getAttribute('data-channel-id')!,
      bucket: el.getAttribute('data-bucket')!,
      count: Number(el.getAttribute('data-count')),
    })),
  );
  const out: Record<string, Record<string, number>> = {};
  for (const c of cells) (out[c.channel] ??= {})[c.bucket] = c.count;
  return out;
}

async function recheck(page: Page, snapshots: number) {
  await page.waitForSelector('[data-action="recheck-audience"]:not([disabled])');
  await page.click('[data-action="recheck-audience"]');
  await page.waitForSelector(`[data-testid="audience-snapshots"][data-count="${snapshots}"]`, { timeout: 90_000 });
}

/** Re-check, flip, re-check: the changes view shows exactly the flipped relations. */
async function recheckFlipCompare(session: ExtensionSession, page: Page, ids: string[], flips: number) {
  server.sim.clearLog();
  await recheck(page, 1);
  expect(server.sim.log.filter((e) => e.path === MULTI)).toHaveLength(Math.ceil(ids.length / 200));
  expect(await page.$eval('[data-testid="audience-last-run"]', (el) => el.getAttribute('data-last-run'))).not.toBe('');
  const flipped = server.sim.flipRelations(ids, flips, { round: ids.length });
  expect(flipped).toHaveLength(flips);
  await recheck(page, 2);
  // Each snapshot is a re-check job, in the job history like any bulk check.
  const jobIds = await page.$$eval('[data-testid="audience-snapshots"] li[data-snapshot-id]', (els) =>
    els.map((el) => el.getAttribute('data-snapshot-id')!),
  );
  expect(jobIds).toHaveLength(2);
  const jobs = await session.openExtensionPage('workspace.html#/jobs');
  for (const id of jobIds) await jobs.waitForSelector(`tr[data-job-id="${id}"][data-status="done"]`);
  await jobs.close();
  const counts = await readCounts(page);
  const expected = expectedBuckets(ids, flipped);
  for (const c of CHANNELS) {
    const want = Object.fromEntries(BUCKETS.map((b) => [b, expected[c]![b]!.length]));
    want.unchanged = ids.length - flipped.filter((f) => f.channelId === c).length;
    want.unknown = 0;
    expect(counts[c]).toEqual(want);
  }
  return { flipped, expected };
}

describe('audiences in Chromium', () => {
  let chrome: ChromeSession;
  beforeAll(async () => {
    chrome = await launchChromeWithExtension(inject('chromeExtDir'));
    await setUp(chrome, SIM_ADMIN_KEY, CHANNELS);
  });
  afterAll(async () => {
    await chrome?.close();
  });

  it('a 5,000-row .xlsx becomes an audience; after 300 flipped relations the changes view shows exactly those 300, and its friends go to a customer file', async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => String(5_120_000_000 + i * 3));
    const wb = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet([
      ['회원번호', '이름', '등급'],
      ...ids.map((id, i) => [i % 2 === 0 ? Number(id) : { t: 's', v: id }, `고객${i}`, i % 3 === 0 ? 'VIP' : '일반']),
    ]);
    XLSX.utils.book_append_sheet(wb, sheet, '고객');
    const file = path.join(tmp, '고객 5000.xlsx');
    fs.writeFileSync(file, new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));

    const page = await openWorkspace(chrome, 'audiences');
    await page.waitForSelector('[data-testid="audiences-empty"]');
    await page.type('input[name="audienceName"]', '5천 명 VIP');
    const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
    expect(await input.evaluate((el) => el.accept.split(','))).toContain('.xlsx');
    await input.uploadFile(file);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="csv-preview"] th')?.textContent === '회원번호',
    );
    await page.click('[data-action="create-audience"]');
    const created = await page.waitForSelector('[data-testid="audience-created"]', { timeout: 60_000 });
    expect(await created!.evaluate((el) => el.getAttribute('data-count'))).toBe('5000');
    expect(await created!.evaluate((el) => el.textContent)).toContain('이름, 등급');
    await page.click('[data-testid="audience-created"] [data-action="open-audience"]');
    await page.waitForSelector('[data-testid="audience-detail"]');
    expect(await page.$eval('[data-testid="audience-name"]', (el) => el.textContent)).toBe('5천 명 VIP');

    const { expected, flipped } = await recheckFlipCompare(chrome, page, ids, 300);

    // The trend: per channel, the two snapshots' ADDED / BLOCKED / NONE (oldest first) as the simulator had them
    // before and after the flips, in the table; and the chart drawn, its ADDED line in the theme's colour.
    const snapshotIds = await page.$$eval('[data-testid="audience-snapshots"] li[data-snapshot-id]', (els) =>
      els.map((el) => el.getAttribute('data-snapshot-id')!).reverse(),
    );
    const tally = (relations: string[]) => ({
      ADDED: relations.filter((r) => r === 'ADDED').length,
      BLOCKED: relations.filter((r) => r === 'BLOCKED').length,
      NONE: relations.filter((r) => r === 'NONE').length,
    });
    for (const c of CHANNELS) {
      const after = ids.map((id) => server.sim.relationOf(id, c).relation as string);
      const was = new Map(flipped.filter((f) => f.channelId === c).map((f) => [f.userId, f.from]));
      const before = ids.map((id, i) => was.get(id) ?? after[i]!);
      const trend = `[data-trend][data-channel-id="${c}"]`;
      await page.waitForSelector(`${trend} canvas`);
      const rows = await page.$$eval(`${trend} tbody tr[data-snapshot-id]`, (trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-snapshot-id'),
          counts: Object.fromEntries(
            [...tr.querySelectorAll('td[data-relation]')].map((td) => [
              td.getAttribute('data-relation'),
              Number(td.getAttribute('data-count')),
            ]),
          ),
        })),
      );
      expect(rows).toEqual([
        { id: snapshotIds[0], counts: tally(before) },
        { id: snapshotIds[1], counts: tally(after) },
      ]);
      expect(tally(before)).not.toEqual(tally(after));
      // Pixels of the ADDED line's colour (light theme --ok, #17803d) on the chart's canvas.
      const drawn = await page.$eval(`${trend} canvas`, (el) => {
        const canvas = el as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4)
          if (
            Math.abs(px[i]! - 0x17) + Math.abs(px[i + 1]! - 0x80) + Math.abs(px[i + 2]! - 0x3d) < 24 &&
            px[i + 3]! > 200
          )
            n++;
        return { width: canvas.width, height: canvas.height, n };
      });
      expect(drawn.width).toBeGreaterThan(300);
      expect(drawn.n).toBeGreaterThan(50);
    }

    // A bucket's IDs, in the audience's order, and its CSV export.
    const [channel, bucket] = (() => {
      for (const c of CHANNELS) for (const b of BUCKETS) if (expected[c]![b]!.length > 0) return [c, b] as const;
      throw new Error('no bucket');
    })();
    await page.click(`button[data-bucket="${bucket}"][data-channel-id="${channel}"]`);
    await page.waitForSelector(`[data-testid="bucket-ids"][data-bucket="${bucket}"][data-channel-id="${channel}"]`);
    const shown = await page.$$eval('[data-testid="bucket-ids"] li[data-user-id]', (els) =>
      els.map((el) => el.getAttribute('data-user-id')),
    );
    expect(shown).toEqual(expected[channel]![bucket]!.slice(0, 100));

    const downloads = path.join(tmp, 'downloads');
    fs.mkdirSync(downloads);
    const cdp = await chrome.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('[data-action="export-bucket"]');
    let saved = '';
    for (let i = 0; i < 200 && !saved; i++) {
      saved = fs.readdirSync(downloads).find((f) => f.endsWith('.csv')) ?? '';
      if (!saved) await new Promise((r) => setTimeout(r, 100));
    }
    expect(saved).toContain(`-${bucket}-${channel}-`);
    const text = fs.readFileSync(path.join(downloads, saved), 'utf8').replace(/^\uFEFF/, '');
    const rows = Papa.parse<string[]>(text.trim(), { newline: '\r\n' }).data;
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected[channel]![bucket]!.map((id) => `="${id}"`));
    expect(text).not.toContain(SIM_ADMIN_KEY);

    // The newest snapshot to a new customer file: only the friends of _ZeUTxl, with the audience's 등급 column in
    // the file's 지역 field (the audience's extra columns are offered for mapping like the carried ones).
    await page.click('[data-testid="snapshot-to-file"] [data-action="to-customer-file"]');
    await page.waitForSelector('[data-testid="to-file"] [data-testid="to-file-selected"][data-count="5000"]');
    await page.click('[data-testid="to-file"] input[name="includeBucket"][value="_ZeUTxl:ADDED"]');
    const friends = ids.filter((id) => server.sim.relationOf(id, '_ZeUTxl').relation === 'ADDED');
    expect(friends.length).toBeGreaterThan(0);
    expect(friends.length).toBeLessThan(ids.length);
    await page.waitForSelector(`[data-testid="to-file-selected"][data-count="${friends.length}"]`);
    const scope = '[data-testid="to-file"]';
    await page.select(`${scope} select[name="fileChannel"]`, '_ZeUTxl');
    const fileId = await createFileInEditor(page, server.sim, {
      scope,
      name: 'aud_friends',
      channel: '_ZeUTxl',
      field: '지역',
    });
    await page.waitForFunction(
      (id) => (document.querySelector(`input[name="targetFile"][value="${id}"]`) as HTMLInputElement | null)?.checked,
      {},
      fileId,
    );
    const column = await page.$$eval('select[name="field-지역"] option', (opts) =>
      opts.find((o) => o.textContent === '등급')?.getAttribute('value'),
    );
    expect(column).toBeDefined();
    await page.select('select[name="field-지역"]', column!);
    await runDryRun(page, { scope, valid: friends.length });
    await page.click(`${scope} [data-action="start-job"]`);
    await waitForJob(page, 'done', { scope });
    const inFile = server.sim.fileUsers(fileId)!;
    expect([...inFile.keys()].sort()).toEqual([...friends].sort());
    const first = friends[0]!;
    expect(inFile.get(first)).toEqual({ 지역: ids.indexOf(first) % 3 === 0 ? 'VIP' : '일반' });

    // The audience list shows it, with its last run.
    await page.click('[data-action="back-to-audiences"]');
    await page.waitForSelector('[data-testid="audience-list"] li[data-audience-id]');
    await page.close();
  });
});

describe('audiences in Firefox ESR', () => {
  let firefox: FirefoxSession;
  beforeAll(async () => {
    firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'));
    await setUp(firefox, SIM_ADMIN_KEY, CHANNELS);
  });
  afterAll(async () => {
    await firefox?.close();
  });

  it('an audience from a paste: re-check, 40 flipped relations, and the changes view shows exactly those', async () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => String(6_230_000_000 + i));
    const page = await openWorkspace(firefox, 'audiences');
    await pasteSource(page, ids.join('\n'));
    await page.waitForSelector('[data-testid="csv-preview"]');
    await page.click('[data-action="create-audience"]');
    await page.waitForSelector('[data-testid="audience-created"][data-count="1000"]', { timeout: 60_000 });
    await page.click('[data-testid="audience-created"] [data-action="open-audience"]');
    await page.waitForSelector('[data-testid="audience-detail"]');
    await recheckFlipCompare(firefox, page, ids, 40);
    await page.close();
  });
});
