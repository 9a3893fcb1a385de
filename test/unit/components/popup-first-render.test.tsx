// @vitest-environment happy-dom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { messagesAsKeys } from './dom';

/*
 * Issue 14 §4: until the popup knows its status, the worker answers that one question only. The recent IDs are
 * asked for once the status says the check form shows (the only place they appear), never at the same time.
 */

const calls: string[] = [];
let statusAnswer: unknown;
let releaseStatus: () => void = () => undefined;
vi.mock('@/components/api', () => ({
  call: async (name: string) => {
    calls.push(name);
    if (name === 'getStatus') {
      await new Promise<void>((resolve) => (releaseStatus = resolve));
      return { ok: true, value: statusAnswer };
    }
    return { ok: true, value: name === 'getRecentLookups' ? ['4242'] : {} };
  },
}));
const { Popup } = await import('@/components/Popup');

const READY = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl'], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  apiOrigin: 'https://kapi.kakao.com',
  ready: true,
  channelIds: ['_ZeUTxl'],
  channelNames: {},
};
const NO_KEY = { ...READY, key: { saved: false, masked: null, remembered: false }, ready: false };

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  messagesAsKeys();
});
afterEach(cleanup);

describe('popup first render', () => {
  it('asks for the status alone, then for the recent IDs, which it shows', async () => {
    statusAnswer = READY;
    render(<Popup />);
    await waitFor(() => expect(calls).toContain('getStatus'));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual(['getStatus']);
    releaseStatus();
    await waitFor(() => expect(document.querySelector('button.chip')?.textContent).toBe('4242'));
    expect(calls).toEqual(['getStatus', 'getRecentLookups']);
  });

  it('with no key and no sandbox (no check form), never asks for the recent IDs', async () => {
    statusAnswer = NO_KEY;
    render(<Popup />);
    await waitFor(() => expect(calls).toContain('getStatus'));
    releaseStatus();
    await waitFor(() => expect(document.querySelector('[data-testid="no-key"]')).toBeTruthy());
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual(['getStatus']);
  });
});

describe('popup first render from the cached status (issue 14 target 4)', () => {
  it('shows the check form from the cached status before the background answers', async () => {
    statusAnswer = READY;
    performance.clearMarks();
    render(<Popup cached={READY as never} />);
    expect(document.querySelector('input[name="userId"]')).toBeTruthy();
    expect(document.querySelector('[data-testid="no-key"]')).toBeNull();
    expect(performance.getEntriesByName('cd:first-meaningful-render').length).toBeGreaterThan(0);
    releaseStatus();
    await waitFor(() => expect(document.querySelector('button.chip')?.textContent).toBe('4242'));
  });

  it('the background’s answer replaces a cached status that is no longer true (the key was cleared)', async () => {
    statusAnswer = NO_KEY;
    render(<Popup cached={READY as never} />);
    expect(document.querySelector('input[name="userId"]')).toBeTruthy();
    await waitFor(() => expect(calls).toContain('getStatus'));
    releaseStatus();
    await waitFor(() => expect(document.querySelector('[data-testid="no-key"]')).toBeTruthy());
    expect(document.querySelector('input[name="userId"]')).toBeNull();
  });
});
