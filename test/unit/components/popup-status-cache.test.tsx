// @vitest-environment happy-dom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { statusCacheItem } from '@/lib/storage/status-cache';
import { DEFAULT_SETTINGS } from '@/lib/storage/settings';
import type { Status } from '@/lib/messages/commands/core';

/* Issue 14 §4: the popup paints from the background's status copy in storage.session, then refreshes. */

let answer: (name: string) => Promise<unknown>;
vi.mock('@/components/api', () => ({ call: (name: string) => answer(name) }));
const { Popup } = await import('@/components/Popup');
const { createHandlers } = await import('@/lib/background/handlers');

const READY: Status = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: { ...DEFAULT_SETTINGS, channelIds: ['_ZeUTxl'] },
  apiOrigin: 'https://kapi.kakao.com',
  ready: true,
  channelIds: ['_ZeUTxl'],
};
const CLEARED: Status = {
  ...READY,
  key: { saved: false, masked: null, remembered: false, cleared: true },
  ready: false,
};
const never = new Promise<never>(() => undefined);

beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => name);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('popup first paint', () => {
  it('shows the lookup form from the cached status while the background has not answered yet', async () => {
    await statusCacheItem.setValue(READY);
    answer = () => never; // the worker is slow to wake
    render(<Popup />);
    await waitFor(() => expect(document.querySelector('input[name="userId"]')).not.toBeNull());
  });

  it('replaces a stale cached status with the background’s answer (a key just cleared)', async () => {
    await statusCacheItem.setValue(READY);
    let release!: (v: unknown) => void;
    const status = new Promise((r) => (release = r));
    answer = (name) => (name === 'getStatus' ? status : never);
    render(<Popup />);
    await waitFor(() => expect(document.querySelector('input[name="userId"]')).not.toBeNull());
    release({ ok: true, value: CLEARED });
    await waitFor(() => expect(document.querySelector('input[name="userId"]')).toBeNull());
    expect(document.body.textContent).not.toContain('••••cdef');
  });

  it('a copy that does not parse is not painted: the popup waits for the background', async () => {
    await fakeBrowser.storage.session.set({ statusCache: { ...READY, key: { saved: 'yes' } } });
    answer = () => never;
    render(<Popup />);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.querySelector('input[name="userId"]')).toBeNull();
  });

  it('without a cached status (a new browser session) waits for the background', async () => {
    answer = () => never;
    render(<Popup />);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.querySelector('input[name="userId"]')).toBeNull();
  });
});

describe('the background keeps the copy current', () => {
  it('writes the status it computes, and again when a setting changes elsewhere', async () => {
    const { saveKey } = await import('@/lib/storage/key-vault');
    const { updateProfile } = await import('@/lib/profiles/store');
    const handlers = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
    handlers.startStatusCopy();
    const first = await handlers.getStatus({}, undefined as never);
    await vi.waitFor(async () => expect(await statusCacheItem.getValue()).toEqual(first));
    // The channels live in the active profile (issue 13): saved there from another context.
    await updateProfile('default', { channelIds: ['_frxjem'] });
    await vi.waitFor(async () => expect((await statusCacheItem.getValue())?.settings.channelIds).toEqual(['_frxjem']));
    // A key saved elsewhere (another page's handler): the copy says so, masked, never the key itself.
    await saveKey('0123456789abcdef0123456789abcdef', false);
    await vi.waitFor(async () => expect((await statusCacheItem.getValue())?.key.masked).toBe('••••cdef'));
    expect(JSON.stringify(await fakeBrowser.storage.session.get('statusCache'))).not.toContain('0123456789abcdef');
  });
});
