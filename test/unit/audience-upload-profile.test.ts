import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createWorkspaceFeature } from '@/lib/background/workspace';
import type { KakaoClient } from '@/lib/kakao/client';
import { createJobStore } from '@/lib/jobs/store';
import { dispatch, type Handlers } from '@/lib/messages/router';
import type { SenderFacts } from '@/lib/messages/sender';
import { withSandbox } from '@/lib/sandbox/client';

/*
 * An audience's snapshot → customer file upload uses the audience's profile, not the active one (as its re-check
 * does): the page names the profile, and the background lists and creates the files with that profile's key and
 * pins the upload job to it. Without a profile, the active one's key, as before.
 */

const EXT_ID = 'channeldeskextid';
const identity = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` };
const extensionPage = { id: EXT_ID, origin: identity.origin } as SenderFacts & { tab?: undefined };

/** A client that records which profile's key each customer-file call used. */
function clientOf(profile: string, calls: string[]): KakaoClient {
  return {
    async listCustomerFiles({ channelId }: { channelId: string }) {
      calls.push(`${profile} list ${channelId}`);
      return { results: [], unreadable: [] };
    },
    async createCustomerFile({ fileName }: { fileName: string }) {
      calls.push(`${profile} create ${fileName}`);
      return { fileId: '777' };
    },
  } as unknown as KakaoClient;
}

let n = 0;
function setup() {
  const calls: string[] = [];
  const f = createWorkspaceFeature({
    apiOrigin: 'https://kapi.example.test',
    client: clientOf('default', calls),
    clientForProfile: (id) => clientOf(id, calls),
    store: createJobStore(`audience-upload-profile-${++n}`),
  });
  const send = (name: keyof Handlers, data: unknown) =>
    dispatch(name, data, extensionPage, f.handlers as unknown as Handlers, identity);
  return { send, calls };
}

const upload = { kind: 'upload', total: 3, channelId: '_ZeUTxl', fileId: '777', fileName: 'friends', userType: 'app' };

beforeEach(() => fakeBrowser.reset());

describe('an audience’s upload to a customer file, by the audience’s profile', () => {
  it('lists and creates files with the audience’s profile’s key, and the upload job keeps that profile', async () => {
    const { send, calls } = setup();
    expect(await send('listCustomerFiles', { channelId: '_ZeUTxl', profileId: 'shop' })).toMatchObject({ ok: true });
    expect(
      await send('createCustomerFile', {
        channelId: '_ZeUTxl',
        profileId: 'shop',
        fileName: 'friends',
        schema: { 지역: 'string' },
      }),
    ).toEqual({ ok: true, value: { fileId: '777' } });
    expect(calls).toEqual(['shop list _ZeUTxl', 'shop create friends']);
    expect(await send('createJob', { ...upload, profileId: 'shop' })).toMatchObject({
      ok: true,
      value: { kind: 'upload', status: 'draft', profileId: 'shop' },
    });
  });

  it('without a profile, the active one’s key and profile, as before', async () => {
    const { send, calls } = setup();
    await send('listCustomerFiles', { channelId: '_ZeUTxl' });
    expect(calls).toEqual(['default list _ZeUTxl']);
    expect(await send('createJob', upload)).toMatchObject({ ok: true, value: { profileId: 'default' } });
  });

  it('refuses a profile ID that is not one', async () => {
    const { send } = setup();
    expect(await send('createJob', { ...upload, profileId: '../x' })).toMatchObject({
      ok: false,
      refusal: 'invalid_message',
    });
  });

  it('the job is pinned to the backend of its own profile: not the sandbox because the active profile is in it', async () => {
    const calls: string[] = [];
    // The active profile ("default") has no key, so the sandbox answers for it; "shop" has a key of its own.
    const client = withSandbox(clientOf('default', calls), {
      isActive: async (profileId) => profileId !== 'shop',
      realFor: (id) => clientOf(id, calls),
    });
    const f = createWorkspaceFeature({
      apiOrigin: 'https://kapi.example.test',
      client,
      clientForProfile: (id) => clientOf(id, calls),
      store: createJobStore(`audience-upload-profile-${++n}`),
    });
    const send = (name: keyof Handlers, data: unknown) =>
      dispatch(name, data, extensionPage, f.handlers as unknown as Handlers, identity);
    const real = { ...upload, channelId: '_RealCh' }; // not one of the sandbox's demo channels
    expect(await send('createJob', { ...real, profileId: 'shop' })).toMatchObject({
      ok: true,
      value: { profileId: 'shop', backend: 'real' },
    });
    // The active profile's own job on a real channel is still refused while its sandbox answers.
    expect(await send('createJob', real)).toMatchObject({ ok: false, error: { code: 'sandbox_real_channels' } });
    expect(await send('createJob', upload)).toMatchObject({ ok: true, value: { backend: 'sandbox' } });
  });
});
