import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../lib/background/handlers';
import { createGrowthFeature } from '../../lib/background/growth';
import { createWorkspaceFeature } from '../../lib/background/workspace';
import { createJobStore } from '../../lib/jobs/store';
import { backendIdentity } from '../../lib/background/badges/backend-identity';
import { DEMO_CHANNELS } from '../../lib/sandbox/demo';
import { userIdProblem } from '../../lib/kakao/id-format';
import { createFakeFetch, jsonResponse } from './fake-fetch';
import { storedValues } from './stored';

/*
 * Issue 16, item 5: after a browser restart a session-only key is gone (by
 * design), and the app must say so and ask for it, never quietly fall back to
 * the sandbox with the real channel list.
 */

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
const KEY = 'c0ffee00deadbeef0123456789abcdef';
const REAL_CHANNELS = ['_ZeUTxl', '_AbCdEf'];
let n = 0;

beforeEach(() => {
  fakeBrowser.reset();
});

function setup() {
  const realFetch = createFakeFetch(() =>
    jsonResponse(200, {
      user_id: 1,
      channels: [
        { channel_public_id: '_ZeUTxl', channel_uuid: '@channeldesk', relation: 'ADDED' },
        { channel_public_id: '_AbCdEf', channel_uuid: '@abcdef', relation: 'NONE' },
      ],
    }),
  );
  const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com', fetch: realFetch.fetch });
  const growth = createGrowthFeature({ apiOrigin: 'https://kapi.kakao.com', client: core.client });
  const workspace = createWorkspaceFeature({
    apiOrigin: 'https://kapi.kakao.com',
    client: core.client,
    store: createJobStore(`firsthour-${++n}`),
  });
  return { core, growth: growth.handlers, workspace: workspace.handlers, realFetch };
}

/** What the browser does to storage.session when it closes. */
const restartBrowser = () => fakeBrowser.storage.session.clear();

describe('a session-only key after the browser restarts', () => {
  it('reads as "cleared": no sandbox, not ready, the real channels kept, and nothing answered with demo data', async () => {
    const { core, realFetch } = setup();
    await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: false }, ctx);
    await restartBrowser();

    const status = await core.getStatus({}, ctx);
    expect(status.key).toMatchObject({ saved: false, cleared: true });
    expect(status.sandbox.active).toBe(false);
    expect(status.ready).toBe(false);
    expect(status.settings.channelIds).toEqual(REAL_CHANNELS);
    await expect(core.checkUser({ userId: '42' }, ctx)).rejects.toMatchObject({ code: 'no_key' });
    expect(realFetch.calls).toHaveLength(0);
    expect(await backendIdentity()).toBe('no-key'); // page badges do not show demo relations either
    expect(JSON.stringify(await storedValues())).not.toContain(KEY.slice(-4)); // no key material kept
  });

  it('entering the key again (the notice posts adminKey through saveSettings) ends the notice', async () => {
    const { core } = setup();
    await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: false }, ctx);
    await restartBrowser();
    const status = await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: true }, ctx);
    expect(status.key).toMatchObject({ saved: true, remembered: true });
    expect(status.key.cleared).toBeUndefined();
    expect(status.ready).toBe(true);
    await restartBrowser();
    // remembered: survives
    expect((await core.getStatus({}, ctx)).key).toMatchObject({ saved: true, remembered: true });
  });

  it('a fresh install, a remembered key and the manager clearing the key never show the notice', async () => {
    const { core } = setup();
    expect((await core.getStatus({}, ctx)).key.cleared).toBeUndefined();
    expect((await core.getStatus({}, ctx)).sandbox.active).toBe(true); // never had a key: the sandbox, as before

    await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: false }, ctx);
    await core.clearKey({}, ctx);
    await restartBrowser();
    const status = await core.getStatus({}, ctx);
    expect(status.key.cleared).toBeUndefined();
    expect(status.sandbox.active).toBe(true);
  });
});

describe('the sandbox never runs on saved real channels', () => {
  it('offers the demo channels, and refuses a job on a real channel with an explanation', async () => {
    const { core, growth, workspace } = setup();
    await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: false }, ctx);
    await growth.setSandboxMode({ mode: 'on' }, ctx);

    const status = await core.getStatus({}, ctx);
    expect(status.channelIds).toEqual(DEMO_CHANNELS.map((c) => c.publicId));
    await expect(
      workspace.createJob({ kind: 'check', total: 1, channelIds: REAL_CHANNELS }, ctx),
    ).rejects.toMatchObject({
      code: 'sandbox_real_channels',
      explanation: { ko: expect.stringContaining('체험용 채널'), en: expect.stringContaining('demo channels only') },
    });
    await expect(
      workspace.createJob({ kind: 'upload', total: 1, channelId: '_AbCdEf', fileId: '1' }, ctx),
    ).rejects.toMatchObject({ code: 'sandbox_real_channels' });
    const demoJob = await workspace.createJob(
      { kind: 'check', total: 1, channelIds: DEMO_CHANNELS.map((c) => c.publicId) },
      ctx,
    );
    expect(demoJob.backend).toBe('sandbox');
  });
});

describe('channel names (item 13)', () => {
  it('are learned from the key test and shown with each channel', async () => {
    const { core } = setup();
    await core.saveSettings({ adminKey: KEY, channelIds: REAL_CHANNELS, rememberKey: false }, ctx);
    expect((await core.getStatus({}, ctx)).channelNames).toEqual({});
    await core.testKey({}, ctx);
    expect((await core.getStatus({}, ctx)).channelNames).toEqual({ _ZeUTxl: '@channeldesk', _AbCdEf: '@abcdef' });
  });
});

describe('user ID rule (item 10)', () => {
  it.each([
    ['1234567890123456789012345', 'too_long'],
    ['0123', 'leading_zero'],
    ['12ab', 'not_digits'],
    ['', 'empty'],
    ['12345678901234567890', null],
  ] as const)('%s → %s', (raw, problem) => {
    expect(userIdProblem(raw)).toBe(problem);
  });
});
