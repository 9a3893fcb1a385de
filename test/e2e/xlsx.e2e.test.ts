import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ElementHandle } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { readResultCells, saveSettings } from './flows';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

/*
 * Issue 12 (Excel), in Chromium: a real .xlsx of 1,000 app-user IDs (written here with SheetJS) goes through the
 * workspace bulk check; the results match the simulator, an ID Excel stored as a rounded number is a row error with
 * its Excel row number, and the .xlsx export reads back with every ID as a text cell.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
let server: SimulatorServer;
let chromeSession: ChromeSession;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-xlsx-e2e-'));

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
  const options = await chromeSession.openExtensionPage('options.html');
  await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
  await options.close();
});
afterAll(async () => {
  await chromeSession?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function waitForFile(dir: string, ext: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const done = fs.readdirSync(dir).filter((f) => f.endsWith(ext));
    if (done.length > 0) return path.join(dir, done[0]!);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no download arrived');
}

describe('Excel in the workspace, end to end in Chromium', () => {
  it('checks 1,000 IDs from an .xlsx sheet and exports the results as an .xlsx with the IDs as text', async () => {
    server.sim.clearLog();
    // Half the IDs typed as numbers (as Excel keeps them when nobody formats the column), half as text.
    const ids = Array.from({ length: 1_000 }, (_, i) => String(4_018_200_000 + i));
    const rounded = 2 ** 53 + 2;
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['합계', 1000]]), '요약');
    const sheet = XLSX.utils.aoa_to_sheet([
      ['2024년 고객 명단'],
      ['이름', '회원번호'],
      ...ids.map((id, i) => [`고객${i}`, i % 2 === 0 ? Number(id) : { t: 's', v: id }]),
      ['반올림', rounded],
    ]);
    sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 1 } }];
    XLSX.utils.book_append_sheet(wb, sheet, '고객목록');
    const file = path.join(tmp, '고객.xlsx');
    fs.writeFileSync(file, new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));

    const page = await chromeSession.openExtensionPage('workspace.html#/relationships');
    await page.setViewport({ width: 1280, height: 900 });
    // The workbook is parsed off the page's thread, in the extension's own worker script.
    const workers: string[] = [];
    page.on('workercreated', (w: { url(): string }) => workers.push(w.url()));
    const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
    expect(await input.evaluate((el) => el.accept.split(','))).toContain('.xlsx');
    await input.uploadFile(file);
    await page.waitForSelector('select[name="sheet"]');
    expect(await page.$$eval('select[name="sheet"] option', (os) => os.map((o) => o.textContent))).toEqual([
      '요약',
      '고객목록',
    ]);
    await page.select('select[name="sheet"]', '고객목록');
    await page.waitForSelector('[data-testid="xlsx-sheet"][data-sheet="고객목록"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="csv-preview"] th')?.textContent === '이름');
    expect(workers.some((url) => /^chrome-extension:\/\/[^/]+\/assets\/worker-[\w-]+\.js$/.test(url))).toBe(true);
    // The ID column is found by its header under the title row.
    expect(await page.$eval('select[name="idColumn"]', (el) => (el as HTMLSelectElement).value)).toBe('1');

    await page.click('[data-action="start-check"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
      { timeout: 60_000 },
    );
    expect(server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi')).toHaveLength(5);
    // The rounded number is a row error at its Excel row (title 1, header 2, IDs 3–1002), never sent.
    const error = await page.$eval('[data-error-code="xlsx_unsafe_number"]', (el) => ({
      row: el.getAttribute('data-error-row'),
      text: el.textContent,
    }));
    expect(error.row).toBe('1003');
    expect(error.text).toContain('lost digits');
    expect(await page.$eval('[data-testid="dry-run-sheet"]', (el) => el.getAttribute('data-sheet'))).toBe('고객목록');

    const cells = await readResultCells(page, 100);
    expect(cells.map((c) => c.user)).toEqual(ids.slice(0, 100).flatMap((id) => [id, id]));
    for (const c of cells) expect(c.relation).toBe(server.sim.relationOf(c.user, c.channel).relation);

    const downloads = path.join(tmp, 'downloads');
    fs.mkdirSync(downloads);
    const cdp = await chromeSession.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('[data-action="download-report-xlsx"]');
    const saved = await waitForFile(downloads, '.xlsx');
    const back = XLSX.read(fs.readFileSync(saved), { type: 'buffer', cellNF: true });
    const ws = back.Sheets[back.SheetNames[0]!]!;
    const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: true });
    expect(rows).toHaveLength(1_001);
    expect(rows[0]!.slice(0, 3)).toEqual(['User ID', '_ZeUTxl', '_ZeUTxl relation_code']);
    ids.forEach((id, i) => {
      const cell = ws[XLSX.utils.encode_cell({ r: i + 1, c: 0 })];
      expect(cell).toMatchObject({ t: 's', v: id, z: '@' });
      expect(rows[i + 1]![2]).toBe(server.sim.relationOf(id, '_ZeUTxl').relation);
      expect(rows[i + 1]![5]).toBe(server.sim.relationOf(id, '_frxjem').relation);
    });
    expect(fs.readFileSync(saved).includes(SIM_ADMIN_KEY)).toBe(false);
    await page.close();
  });
});
