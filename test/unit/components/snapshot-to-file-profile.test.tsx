// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AudienceMeta } from '@/lib/audiences/model';
import type { Status } from '@/lib/messages/protocol';
import { find, messagesAsKeys } from './dom';

/*
 * An audience's snapshot → customer file goes by the audience's profile: an audience of profile "shop", opened while
 * "default" is active, lists the files of the snapshot's channels with "shop"'s key (the profile named in the call).
 */

const calls: { name: string; input: unknown }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    return { ok: true, value: { files: [], unreadableFiles: [], usingSlot: null, emptySlot: null } };
  },
}));
const { SnapshotToFile } = await import('@/components/audiences/SnapshotToFile');

const STATUS = {
  ready: true,
  channelIds: ['_active1'],
  profiles: {
    activeId: 'default',
    profiles: [
      { id: 'default', name: 'Default', keySaved: true },
      { id: 'shop', name: 'Shop', keySaved: true },
    ],
  },
} as unknown as Status;

const audience = (profileId: string | undefined) =>
  ({
    id: 'aud-1',
    name: 'VIP',
    createdAt: 1,
    updatedAt: 1,
    ...(profileId ? { profileId } : {}),
    count: 2,
    source: 'paste',
    listKey: 'list-1',
    columns: [],
    schedule: { every: 'off' },
    snapshots: [
      {
        id: 'check-1',
        takenAt: 1,
        channelIds: ['_shop1', '_shop2'],
        count: 2,
        listKey: 'list-1',
        relationBytes: 0,
        listBytes: 0,
        totals: {},
        trigger: 'manual',
      },
    ],
  }) as unknown as AudienceMeta;

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openToFile(a: AudienceMeta) {
  render(<SnapshotToFile audience={a} status={STATUS} />);
  fireEvent.click(await find('[data-action="to-customer-file"]'));
  // CheckToFile is loaded when opened (lazy): the first open waits for the module.
  await waitFor(() => expect(calls.some((c) => c.name === 'listCustomerFiles')).toBe(true), { timeout: 10_000 });
  const channels = [...document.querySelectorAll<HTMLOptionElement>('select[name="fileChannel"] option')].map(
    (o) => o.value,
  );
  return { listed: calls.find((c) => c.name === 'listCustomerFiles')!.input, channels };
}

describe('snapshot → customer file, by the audience’s profile', () => {
  it('an audience of another profile: its snapshot’s channels, and the files listed with its profile', async () => {
    const { listed, channels } = await openToFile(audience('shop'));
    expect(channels).toEqual(['_shop1', '_shop2']);
    expect(listed).toEqual({ channelId: '_shop1', profileId: 'shop' });
  });

  it('an audience of the active profile: the active channels and key, as before', async () => {
    const { listed, channels } = await openToFile(audience('default'));
    expect(channels).toEqual(['_active1']);
    expect(listed).toEqual({ channelId: '_active1' });
  });
});
