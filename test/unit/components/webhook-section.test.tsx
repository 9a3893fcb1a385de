// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { explain } from '@/lib/kakao/errors';

type Answer = (name: string, input: unknown) => unknown;
let answer: Answer;
const calls: string[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push(name);
    return answer(name, input);
  },
}));
const { default: WebhookSection } = await import('@/components/growth/WebhookSection');

const ok = (value: unknown) => ({ ok: true, value });
const STATUS = { key: { saved: true, masked: '••••cdef', remembered: false }, sandbox: { active: false, mode: 'off' } };
const defaults: Answer = (name) => {
  if (name === 'getStatus') return ok(STATUS);
  if (name === 'getWebhookHistory') return ok([]);
  if (name === 'getGrowthChannels') return ok({ channels: [{ publicId: '_ZeUTxl' }], demo: false });
  return ok(null);
};

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  answer = defaults;
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function submit(url: string) {
  const input = document.querySelector<HTMLInputElement>('input[name="webhookUrl"]')!;
  fireEvent.input(input, { target: { value: url } });
  fireEvent.submit(input.closest('form')!);
}

describe('Webhook tester section', () => {
  it('refuses plain http to another machine and says why, without asking the browser or the background', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request');
    render(<WebhookSection />);
    await submit('http://hooks.example.test/kakao');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('growth_webhookUrlInsecure');
    expect(alert.getAttribute('data-url-error')).toBe('insecure');
    expect(request).not.toHaveBeenCalled();
    expect(calls).not.toContain('sendTestWebhook');
  });

  it('shows a failed initial load instead of an empty page', async () => {
    const error = { code: 'internal', status: null, retryable: false, explanation: explain('internal', null) };
    answer = (name, input) => (name === 'getWebhookHistory' ? { ok: false, error } : defaults(name, input));
    const { container } = render(<WebhookSection />);
    await waitFor(() => expect(container.querySelector('[data-error-code="internal"]')).not.toBeNull());
  });

  it('explains a permission prompt that could not open, in the catalog’s words (no raw error text)', async () => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockRejectedValue(new Error('Invalid url pattern'));
    render(<WebhookSection />);
    await submit('https://hooks.example.test/kakao');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('growth_webhookPermissionFailed|https://hooks.example.test/*');
    expect(document.body.textContent).not.toContain('Invalid url pattern');
  });
});
