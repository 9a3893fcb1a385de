import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { createKakaoClient } from '../../lib/kakao/client';
import { SIM_ADMIN_KEY, simDropsUser, simLacksChannels } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import {
  allowSite,
  checkUser,
  openWorkspace,
  readRelationRows,
  readResultCells,
  saveSettings,
  startBulkCheck,
  waitForBadges,
  waitForJob,
} from './flows';
import { makePagePlan, renderTestPage, startTestSite, type TestSite } from './page-site/server';

/*
 * The built extension in Chromium against a simulator answering in the shapes
 * third-party clients reported from the real Kakao API (dialect `variant`): an odd
 * answer costs one row — one user, one file — never a batch or a screen.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SELECTED = CHANNELS[0]!;
const NO_CONSENT_KO = '동의하지 않았거나 이 앱의 사용자가 아닙니다';
const {
  ids: IDS,
  plan: PLAN,
  badgeElements: BADGE_ELEMENTS,
} = makePagePlan({ distinct: 260, base: 8_300_000_000, step: 13, longIdAt: 3, repeats: 10 });

let server: SimulatorServer;
let site: TestSite;
let session: ChromeSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  server.sim.setDialect('variant');
  site = await startTestSite();
  session = await launchChromeWithExtension(inject('chromeExtDir'), { lang: 'ko' });
  site.setPage('/members', renderTestPage(PLAN));
});
afterAll(async () => {
  await session?.close();
  await site?.close();
  await server?.close();
});

describe('real-API answer shapes (simulator dialect "variant"), end to end in Chromium', () => {
  it('sets up the key, channels and the badge site', async () => {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await allowSite(options, 'http://127.0.0.1/*');
    // The test page shows some IDs as "No. <id>" in td.member cells: the same custom rule as the badge test.
    await options.click('[data-site="http://127.0.0.1/*"] button:not([data-action]):not(.primary)');
    await options.type('[data-site="http://127.0.0.1/*"] input[name="ruleSelector"]', 'td.member');
    await options.type('[data-site="http://127.0.0.1/*"] input[name="ruleRegex"]', 'No\\.\\s*(\\d+)');
    await options.click('[data-action="save-rules"]');
    await options.waitForSelector('[data-site="http://127.0.0.1/*"] p.success');
    await options.close();
  });

  it('popup: a user Kakao answers with no channels is UNKNOWN with the reason; another user is exact', async () => {
    const popup = await session.openExtensionPage('popup.html');
    const lacking = IDS.find(simLacksChannels)!;
    await checkUser(popup, lacking);
    const rows = await readRelationRows(popup);
    expect(rows.map((r) => [r.channel, r.relation])).toEqual(CHANNELS.map((c) => [c, 'UNKNOWN']));
    for (const r of rows) expect(r.text).toContain(NO_CONSENT_KO);

    const other = IDS.find(
      (id) => !simLacksChannels(id) && server.sim.relationOf(id, SELECTED).relation === 'BLOCKED',
    )!;
    await checkUser(popup, other);
    await popup.waitForFunction(
      (id) => document.querySelector('[data-testid="lookup"] ul')?.getAttribute('aria-label')?.includes(id),
      {},
      other,
    );
    const exact = await readRelationRows(popup);
    expect(exact.map((r) => [r.channel, r.relation])).toEqual(
      CHANNELS.map((c) => [c, server.sim.relationOf(other, c).relation]),
    );
    expect(exact.some((r) => r.text?.includes(NO_CONSENT_KO))).toBe(false);
    await popup.close();
  });

  it('page badges: users without channels (and users left out) are UNKNOWN, their batch-mates exact', async () => {
    server.sim.clearLog();
    const page: Page = await session.browser.newPage();
    await page.goto(`${site.origin}/members?ext=${session.extId}`, { waitUntil: 'load' });
    await waitForBadges(page, BADGE_ELEMENTS);
    const found = await page.$$eval('[data-kakao-badge-for]', (els) =>
      els.map((el) => [el.getAttribute('data-kakao-badge-for')!, el.getAttribute('data-relation')!] as const),
    );
    expect(new Set(found.map(([id]) => id))).toEqual(new Set(IDS));
    const lacking = IDS.filter(simLacksChannels);
    expect(lacking.length).toBeGreaterThan(10);
    for (const [id, relation] of found) {
      const expected =
        simLacksChannels(id) || simDropsUser(id) ? 'UNKNOWN' : server.sim.relationOf(id, SELECTED).relation;
      expect(relation, id).toBe(expected);
    }
    // No badge shows ERROR: the odd elements cost their own users only.
    expect(found.some(([, r]) => r === 'ERROR')).toBe(false);
    expect(
      server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi' && e.status === 200).length,
    ).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('bulk check: the results table shows users without channels as UNKNOWN with the reason, their batch-mates exact', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(6_100_000 + i));
    const page = await openWorkspace(session, 'relationships');
    await startBulkCheck(page, ids);
    await waitForJob(page, 'done', { timeout: 60_000 });
    const cells = await readResultCells(page, 100);
    expect(cells).toHaveLength(200); // the first 100 rows × 2 channels
    const lacking = cells.filter((c) => simLacksChannels(c.user));
    expect(lacking.length).toBeGreaterThan(5);
    for (const c of cells) {
      if (simLacksChannels(c.user)) {
        expect([c.relation, c.reason]).toEqual(['UNKNOWN', 'no_channels']);
        expect(c.text).toContain(NO_CONSENT_KO);
      } else if (simDropsUser(c.user)) expect([c.relation, c.reason]).toEqual(['UNKNOWN', 'not_answered']);
      else expect([c.relation, c.reason]).toEqual([server.sim.relationOf(c.user, c.channel).relation, null]);
    }
    await page.close();
  });

  it('customer files: every file is listed, schemas in any form; a file with an unknown schema can still be chosen for upload', async () => {
    // Four files; the simulator's `mixed` schema forms go by place: object, JSON string, null, absent.
    const client = createKakaoClient({ origin: server.origin, getKey: async () => SIM_ADMIN_KEY });
    const names = ['obj_file', 'str_file', 'null_file', 'absent_file'];
    for (const name of names)
      await client.createCustomerFile({
        channelId: SELECTED,
        fileName: name,
        schema: { 성별: 'string', 구매금액: 'number' },
      });

    const page = await openWorkspace(session, 'files');
    await page.waitForSelector('tr[data-file-id]');
    const rows = await page.$$eval('tr[data-file-id]', (els) =>
      els.map((el) => ({
        name: el.querySelector('strong')?.textContent,
        schemaKnown: el.querySelector('[data-schema-known]')?.getAttribute('data-schema-known'),
        cells: [...el.querySelectorAll('td')].map((td) => td.textContent?.trim()),
      })),
    );
    expect(rows.map((r) => [r.name, r.schemaKnown])).toEqual([
      ['obj_file', 'true'],
      ['str_file', 'true'],
      ['null_file', 'false'],
      ['absent_file', 'false'],
    ]);
    // The string schema reads like the object one; missing dates show "—".
    expect(rows[1]!.cells[3]).toBe(rows[0]!.cells[3]);
    expect(rows[1]!.cells[3]).toContain('성별');
    for (const r of rows) expect(r.cells[4]).toBe('—');
    // 2 made in the admin center + 4, from "6"
    expect(await page.$eval('[data-testid="slot-meter"]', (el) => el.getAttribute('data-used'))).toBe('6');
    expect(await page.$('[data-testid="error"], [data-error-code]')).toBeNull();

    await page.click('tr[data-file-id]:nth-child(3) [data-action="add-users"]');
    await page.waitForSelector('[data-testid="import-upload"] [data-testid="schema-unknown"]');
    expect(await page.$eval('[data-testid="schema-unknown"]', (el) => el.textContent)).toContain('필드 매핑');
    expect(await page.$('[data-testid="import-upload"] [data-action="source-paste"]')).not.toBeNull();

    // The API log at 1280 px: rows carrying several tolerance tags still fit, nothing cut off at the right.
    await page.goto(page.url().replace('#/files', '#/api-log'));
    await page.waitForSelector('tr[data-endpoint] [data-tolerance]');
    expect(
      await page.$eval(
        '.api-log-table',
        (t) => t.closest('.table-scroll')!.scrollWidth - t.closest('.table-scroll')!.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await page.close();
  });
});
