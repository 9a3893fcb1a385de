import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnoseFeature } from '../../lib/background/diagnose';
import { createHandlers } from '../../lib/background/handlers';
import { createKakaoClient } from '../../lib/kakao/client';
import {
  classify,
  reportMarkdown,
  runConnectionCheck,
  suggestChannelId,
  type ConnectionReport,
} from '../../lib/kakao/diagnose';
import { KakaoApiError } from '../../lib/kakao/errors';
import { channelIdFromText, splitChannelIds } from '../../lib/kakao/id-format';
import type { HandlerContext } from '../../lib/messages/router';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { saveKey } from '../../lib/storage/key-vault';
import { settingsItem } from '../../lib/storage/settings';
import { sandboxModeItem } from '../../lib/sandbox/state';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFakeFetch, jsonResponse } from '../unit/fake-fetch';
import { storedValues } from '../unit/stored';

/* The connection check (issue 10 §3) with the real client against the simulator over HTTP. */

let server: SimulatorServer;
const ctx: HandlerContext = { senderClass: 'extension', tabId: undefined, origin: undefined };
const CHANNELS = ['_ZeUTxl', '_frxjem'];

const clientFor = (key: string, fetchImpl?: typeof fetch) =>
  createKakaoClient({ origin: server.origin, getKey: async () => key, fetch: fetchImpl, timeoutMs: 5_000 });

function check(channelIds = CHANNELS, key = SIM_ADMIN_KEY) {
  return runConnectionCheck(clientFor(key), {
    channelIds,
    apiOrigin: server.origin,
    keyMasked: `••••${key.slice(-4)}`,
    keySource: 'saved',
  });
}
const row = (report: ConnectionReport, name: string) => report.rows.find((r) => r.check === name)!;

beforeAll(async () => {
  server = await startSimulatorServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  fakeBrowser.reset();
  server.sim.setAccess({});
  server.sim.clearLog();
});

describe('runConnectionCheck against the simulator', () => {
  it('all good: one relationship probe and one file list per channel, all ok, linked channels listed', async () => {
    const report = await check();
    expect(report.rows.map((r) => [r.check, r.status])).toEqual([
      ['relationship', 'ok'],
      ['files:_ZeUTxl', 'ok'],
      ['files:_frxjem', 'ok'],
    ]);
    expect(report.keyVerdict).toBe('accepted');
    expect(report.channels.linked?.map((c) => c.publicId)).toEqual(['_ZeUTxl', '_frxjem']);
    expect(report.channels.missing).toEqual([]);
    expect(server.sim.log.map((e) => e.path)).toEqual([
      '/v2/api/talk/channels',
      '/v1/talkchannel/target_user_file',
      '/v1/talkchannel/target_user_file',
    ]);
  });

  it('-401 ip mismatched: every row says the IP is not allowed and where to allow it, not "wrong key"', async () => {
    server.sim.setAccess({ ipMismatch: { callerIp: '127.0.0.1' } });
    const report = await check();
    expect(report.rows.every((r) => r.status === 'fail' && r.code === -401 && r.category === 'ip_not_allowed')).toBe(
      true,
    );
    expect(report.keyVerdict).toBe('blocked');
    const fix = row(report, 'relationship').message;
    expect(fix.en).toContain('Allowed IP addresses');
    expect(fix.en).toContain('127.0.0.1');
    expect(fix.ko).toContain('허용 IP');
    expect(fix.en).not.toMatch(/key is wrong/);
  });

  it('-401 domain mismatched is explained as a domain check', async () => {
    server.sim.setAccess({ domainMismatch: { caller: 'chrome-extension://abc' } });
    const report = await check(['_ZeUTxl']);
    expect(row(report, 'relationship').category).toBe('domain_mismatch');
    expect(row(report, 'relationship').message.en).toContain('chrome-extension://abc');
  });

  it('a wrong key is the only "bad key"', async () => {
    const report = await check(CHANNELS, 'ffffffffffffffffffffffffffffffff');
    expect(row(report, 'relationship')).toMatchObject({ status: 'fail', code: -401, category: 'bad_key' });
    expect(report.keyVerdict).toBe('bad_key');
  });

  it('-3 on the file API only: the key is accepted, the file rows say to allow the API for this key', async () => {
    server.sim.setAccess({ deniedApis: { files: { code: -3 } } });
    const report = await check();
    expect(row(report, 'relationship').status).toBe('ok');
    for (const id of CHANNELS) {
      expect(row(report, `files:${id}`)).toMatchObject({ status: 'fail', code: -3, category: 'api_not_allowed' });
    }
    expect(row(report, 'files:_ZeUTxl').message.en).toContain('[Admin key]');
    expect(row(report, 'files:_ZeUTxl').message.ko).toContain('[어드민 키]');
    expect(report.keyVerdict).toBe('accepted');
  });

  it('-819 on one channel: only that row fails, with how to link it', async () => {
    server.sim.setAccess({ channelErrors: { _frxjem: { code: -819 } } });
    const report = await check();
    expect(row(report, 'files:_ZeUTxl').status).toBe('ok');
    expect(row(report, 'files:_frxjem')).toMatchObject({ status: 'fail', code: -819, category: 'channel_not_linked' });
    expect(row(report, 'files:_frxjem').message.en).toContain('[Kakao Talk Channel]');
  });

  it('a mistyped channel (_ZeUTxI, capital i) is flagged with the linked ID as a suggestion', async () => {
    const report = await check(['_ZeUTxI']);
    expect(report.channels.missing).toEqual([{ publicId: '_ZeUTxI', suggestion: '_ZeUTxl' }]);
    expect(report.channels.unconfigured.map((c) => c.publicId)).toEqual(['_ZeUTxl', '_frxjem']);
    expect(row(report, 'files:_ZeUTxI')).toMatchObject({ status: 'fail', code: -541, category: 'channel_not_found' });
  });

  it('the report is Markdown with the masked key at most, never the key', async () => {
    server.sim.setAccess({ channelErrors: { _frxjem: { code: -819 } } });
    const report = await check();
    for (const lang of ['ko', 'en'] as const) {
      const md = reportMarkdown(report, lang);
      expect(md).not.toContain(SIM_ADMIN_KEY);
      expect(md).not.toContain(SIM_ADMIN_KEY.slice(0, 8));
      expect(md).toContain(`••••${SIM_ADMIN_KEY.slice(-4)}`);
      expect(md).toMatch(/\| files:_frxjem \| ✗ fail \| -819 \|/);
    }
    expect(reportMarkdown(report, 'en')).toContain('# Channel Desk connection check');
  });
});

describe('the probe: any answer but -401 means the key was accepted', () => {
  it.each([
    [-402, 403],
    [-101, 400],
    [-2, 400],
  ])('relationship probe answered %i: ok for the key, with a note', async (code, status) => {
    const fake = createFakeFetch((req) =>
      req.url.pathname.startsWith('/v2/')
        ? jsonResponse(status, { code, msg: 'about the user' })
        : jsonResponse(200, { results: [] }),
    );
    const report = await runConnectionCheck(clientFor(SIM_ADMIN_KEY, fake.fetch), {
      channelIds: ['_ZeUTxl'],
      apiOrigin: 'x',
      keyMasked: null,
      keySource: 'saved',
    });
    expect(report.rows[0]).toMatchObject({ check: 'relationship', status: 'ok', code });
    expect(report.rows[0]!.message.en).toContain('The key was accepted');
    expect(report.keyVerdict).toBe('accepted');
    expect(report.channels.linked).toBeNull();
  });

  it.each([
    [{ code: -401, status: 401 }, 'bad_key'],
    [{ code: -401, status: 401, detail: 'ip mismatched! callerIp=1.2.3.4' }, 'ip_not_allowed'],
    [{ code: -401, status: 401, detail: 'domain mismatched! caller=https://x' }, 'domain_mismatch'],
    [{ code: 'malformed_key', status: null }, 'bad_key'],
    [{ code: -3, status: 403 }, 'api_not_allowed'],
    [{ code: -5, status: 403 }, 'api_not_allowed'],
    [{ code: -819, status: 400 }, 'channel_not_linked'],
    [{ code: -541, status: 400 }, 'channel_not_found'],
    [{ code: -10, status: 400 }, 'quota'],
    [{ code: -9798, status: 503 }, 'kakao_or_network'],
    [{ code: -1, status: 502 }, 'kakao_or_network'],
    [{ code: 'network', status: null }, 'kakao_or_network'],
    [{ code: -816, status: 400 }, 'other'],
  ] as const)('classify(%o) = %s', (facts, category) => {
    expect(classify(facts)).toBe(category);
  });

  it('suggests a linked ID only for look-alike or case differences', () => {
    expect(suggestChannelId('_ZeUTxI', ['_ZeUTxl', '_frxjem'])).toBe('_ZeUTxl');
    expect(suggestChannelId('_zeutxl', ['_ZeUTxl'])).toBe('_ZeUTxl');
    expect(suggestChannelId('_fr0xjem', ['_frOxjem'])).toBe('_frOxjem');
    expect(suggestChannelId('_abcdef', ['_ZeUTxl'])).toBeUndefined();
  });

  it('a pasted pf.kakao.com address gives the channel ID', () => {
    expect(channelIdFromText('https://pf.kakao.com/_ZeUTxl')).toBe('_ZeUTxl');
    expect(channelIdFromText('pf.kakao.com/_ZeUTxl/friend')).toBe('_ZeUTxl');
    expect(channelIdFromText('http://pf.kakao.com/_frxjem?utm=1')).toBe('_frxjem');
    expect(channelIdFromText(' _ZeUTxl ')).toBe('_ZeUTxl');
    expect(channelIdFromText('https://example.com/_ZeUTxl')).toBe('https://example.com/_ZeUTxl');
    expect(splitChannelIds('https://pf.kakao.com/_ZeUTxl\npf.kakao.com/_frxjem/chat, _ZeUTxl')).toEqual([
      '_ZeUTxl',
      '_frxjem',
    ]);
  });
});

describe('background: testKey and runConnectionCheck', () => {
  function setup(responder?: Parameters<typeof createFakeFetch>[0]) {
    const fake = responder ? createFakeFetch(responder) : undefined;
    const makeClient = (getKey: () => Promise<string | null>) =>
      createKakaoClient({ origin: server.origin, getKey, fetch: fake?.fetch, timeoutMs: 5_000 });
    const handlers = createHandlers({ apiOrigin: server.origin, makeClient });
    const diagnose = createDiagnoseFeature({ apiOrigin: server.origin, client: handlers.client, makeClient });
    return { handlers, diagnose: diagnose.handlers, fake };
  }

  it.each([
    [-402, 403],
    [-101, 400],
    [-3, 403],
    [-10, 400],
  ])('testKey: a probe answered %i is a working key, with a note (not an error)', async (code, status) => {
    const { handlers } = setup(() => jsonResponse(status, { code, msg: 'whatever' }));
    const res = await handlers.testKey({ adminKey: SIM_ADMIN_KEY }, ctx);
    expect(res).toMatchObject({ tested: 'typed', linkedKnown: false, linkedChannels: [], note: { code } });
  });

  it('testKey: -401 is a bad key', async () => {
    const { handlers } = setup();
    const err = await handlers.testKey({ adminKey: 'ffffffffffffffffffffffffffffffff' }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KakaoApiError);
    expect((err as KakaoApiError).code).toBe(-401);
  });

  it('testKey: a key with spaces inside is malformed, without any call', async () => {
    const { handlers, fake } = setup(() => jsonResponse(200, {}));
    const err = await handlers.testKey({ adminKey: '0123 4567' }, ctx).catch((e: unknown) => e);
    expect((err as KakaoApiError).code).toBe('malformed_key');
    expect(fake!.calls).toHaveLength(0);
  });

  it('testKey: a good saved key lists the linked channels and says it tested the saved key', async () => {
    const { handlers } = setup();
    await saveKey(SIM_ADMIN_KEY, false);
    const res = await handlers.testKey({}, ctx);
    expect(res).toMatchObject({ tested: 'saved', linkedKnown: true });
    expect(res.linkedChannels.map((c) => c.publicId)).toEqual(['_ZeUTxl', '_frxjem']);
  });

  it('runConnectionCheck uses a typed key without storing it, and the saved channels', async () => {
    const { diagnose } = setup();
    await settingsItem.setValue({ ...(await settingsItem.getValue()), channelIds: ['_frxjem'] });
    await sandboxModeItem.setValue('off');
    const report = await diagnose.runConnectionCheck({ adminKey: SIM_ADMIN_KEY }, ctx);
    expect(report).toMatchObject({
      keySource: 'typed',
      keyMasked: `••••${SIM_ADMIN_KEY.slice(-4)}`,
      keyVerdict: 'accepted',
    });
    expect(report.rows.map((r) => r.check)).toEqual(['relationship', 'files:_frxjem']);
    expect(JSON.stringify(report)).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(await storedValues())).not.toContain(SIM_ADMIN_KEY);
  });

  it('runConnectionCheck with no key and the sandbox off fails with no_key', async () => {
    const { diagnose } = setup();
    await sandboxModeItem.setValue('off');
    await expect(diagnose.runConnectionCheck({}, ctx)).rejects.toMatchObject({ code: 'no_key' });
  });

  it('runConnectionCheck with the saved key', async () => {
    const { diagnose } = setup();
    await saveKey(SIM_ADMIN_KEY, false);
    await settingsItem.setValue({ ...(await settingsItem.getValue()), channelIds: ['_ZeUTxl', '_unlnkd'] });
    await sandboxModeItem.setValue('off');
    const report = await diagnose.runConnectionCheck({}, ctx);
    expect(report.keySource).toBe('saved');
    expect(row(report, 'files:_unlnkd')).toMatchObject({ status: 'fail', code: -819, category: 'channel_not_linked' });
    expect(report.channels.missing).toEqual([{ publicId: '_unlnkd' }]);
  });
});
