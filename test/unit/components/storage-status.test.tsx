// @vitest-environment happy-dom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFakePermissions } from '../fake-permissions';

/* Issue 17: a failed move of stored data explains itself on the options page. */

let storage: unknown;
vi.mock('@/components/api', () => ({
  call: async (name: string) => {
    if (name === 'getStatus')
      return {
        ok: true,
        value: {
          key: { saved: false, masked: null, remembered: false },
          sandbox: { active: true, mode: 'auto' },
          settings: {
            channelIds: [],
            rememberKey: false,
            cacheTtlMinutes: 10,
            concurrency: 4,
            tabNewIdsPerMinute: 5000,
            pageLookupsPerDay: 100000,
          },
          channelIds: [],
          storage,
        },
      };
    if (name === 'listSites')
      return {
        ok: true,
        value: {
          sites: [],
          cacheTtlMinutes: 10,
          budgets: { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100000, usedToday: 0 },
        },
      };
    return { ok: true, value: {} };
  },
}));
const { OptionsPage } = await import('@/components/OptionsPage');

beforeEach(() => {
  fakeBrowser.reset();
  Object.assign(fakeBrowser.permissions, createFakePermissions().api);
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the options page and the stored data’s move', () => {
  it('says the move failed, with the reason, and that the old data is kept', async () => {
    storage = { schemaVersion: 2, state: 'failed', detail: 'QuotaExceededError: full' };
    render(<OptionsPage />);
    const notice = await waitFor(() => {
      const el = document.querySelector('[data-testid="storage-migration-failed"]');
      if (!el) throw new Error('no notice');
      return el;
    });
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toBe('storageVault_migrationFailed|QuotaExceededError: full');
  });

  it('shows nothing when it worked', async () => {
    storage = { schemaVersion: 2, state: 'ok' };
    render(<OptionsPage />);
    await waitFor(() => expect(document.querySelector('input[name="adminKey"]')).not.toBeNull());
    expect(document.querySelector('[data-testid="storage-migration-failed"]')).toBeNull();
  });
});
