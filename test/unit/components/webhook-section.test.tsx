// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { explain } from '@/lib/kakao/errors';
import { messagesAsKeys } from './dom';

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
  messagesAsKeys();
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

const urlField = () => document.querySelector<HTMLInputElement>('input[name="webhookUrl"]')!;
const verdict = () => document.querySelector('[data-testid="webhook-verdict"]');
const result = (over: Record<string, unknown> = {}) => ({
  at: '2026-05-02T01:02:03.000Z',
  url: 'https://hooks.example.test/kakao',
  event: 'added',
  resourceId: 'Rvy1c2dkzBAZ5hGD3rqYbxvr',
  status: 200,
  ms: 120,
  pass: true,
  keySource: 'saved',
  keyMasked: '••••cdef',
  ...over,
});

describe('Webhook tester: verdicts belong to the form as it is (issue 16 item 9)', () => {
  beforeEach(() => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
  });

  it('clears the verdict as soon as the URL changes', async () => {
    answer = (name, input) => (name === 'sendTestWebhook' ? ok(result()) : defaults(name, input));
    render(<WebhookSection />);
    await submit('https://hooks.example.test/kakao');
    await waitFor(() => expect(verdict()?.getAttribute('data-verdict')).toBe('pass'));
    fireEvent.input(urlField(), { target: { value: 'https://hooks.example.test/kakao2' } });
    expect(verdict()).toBeNull();
  });

  it('clears the verdict when the next URL is refused', async () => {
    answer = (name, input) =>
      name === 'sendTestWebhook'
        ? ok(result({ pass: false, status: 500, reason: 'server_error' }))
        : defaults(name, input);
    render(<WebhookSection />);
    await submit('https://hooks.example.test/kakao');
    await waitFor(() => expect(verdict()?.getAttribute('data-verdict')).toBe('fail'));
    await submit('http://hooks.example.test/kakao'); // plain http to another machine: refused
    expect((await screen.findByRole('alert')).getAttribute('data-url-error')).toBe('insecure');
    expect(verdict()).toBeNull();
  });

  it('a verdict that arrives after the URL changed is not shown', async () => {
    let release!: () => void;
    answer = async (name, input) => {
      if (name !== 'sendTestWebhook') return defaults(name, input);
      await new Promise<void>((r) => (release = r));
      return ok(result());
    };
    render(<WebhookSection />);
    await submit('https://hooks.example.test/kakao');
    await waitFor(() => expect(calls).toContain('sendTestWebhook'));
    fireEvent.input(urlField(), { target: { value: 'https://other.example.test/hook' } });
    release();
    await waitFor(() =>
      expect(document.querySelector<HTMLButtonElement>('form button[type="submit"]')!.disabled).toBe(false),
    );
    expect(verdict()).toBeNull();
    // it still went into the history
    await waitFor(() =>
      expect(document.querySelector('[data-testid="webhook-history"] tr[data-verdict="pass"]')).not.toBeNull(),
    );
  });

  it('remembers the last URL per channel: offers it on load and when the channel changes', async () => {
    const urls = { _ZeUTxl: 'https://a.example.test/hook', _frxjem: 'https://b.example.test/hook' };
    const sent: unknown[] = [];
    answer = (name, input) => {
      if (name === 'getGrowthChannels')
        return ok({
          channels: [{ publicId: '_ZeUTxl' }, { publicId: '_frxjem' }, { publicId: '_newone' }],
          demo: false,
        });
      if (name === 'getWebhookUrls') return ok(urls);
      if (name === 'sendTestWebhook') return (sent.push(input), ok(result({ url: (input as { url: string }).url })));
      return defaults(name, input);
    };
    render(<WebhookSection />);
    await waitFor(() => expect(urlField().value).toBe(urls._ZeUTxl));
    const channel = document.querySelector<HTMLSelectElement>('select[name="channelId"]')!;
    await waitFor(() => expect(channel.options).toHaveLength(3));
    fireEvent.change(channel, { target: { value: '_frxjem' } });
    await waitFor(() => expect(urlField().value).toBe(urls._frxjem));
    // a channel with no remembered URL keeps what is in the field; testing it remembers it for that channel
    fireEvent.change(channel, { target: { value: '_newone' } });
    await waitFor(() => expect(channel.value).toBe('_newone'));
    expect(urlField().value).toBe(urls._frxjem);
    await submit('https://c.example.test/hook');
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(sent).toEqual([expect.objectContaining({ channelId: '_newone', url: 'https://c.example.test/hook' })]);
    fireEvent.change(channel, { target: { value: '_ZeUTxl' } });
    await waitFor(() => expect(urlField().value).toBe(urls._ZeUTxl));
    expect(verdict()).toBeNull(); // the verdict was for another channel's URL
    fireEvent.change(channel, { target: { value: '_newone' } });
    await waitFor(() => expect(urlField().value).toBe('https://c.example.test/hook'));
  });

  it('does not overwrite a URL typed before the saved ones arrived', async () => {
    let give!: () => void;
    answer = async (name, input) => {
      if (name !== 'getWebhookUrls') return defaults(name, input);
      await new Promise<void>((r) => (give = r));
      return ok({ _ZeUTxl: 'https://a.example.test/hook' });
    };
    render(<WebhookSection />);
    fireEvent.input(urlField(), { target: { value: 'https://typed.example.test/' } });
    await waitFor(() => expect(calls).toContain('getWebhookUrls'));
    give();
    await waitFor(() => expect(calls.filter((c) => c === 'getWebhookUrls')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(urlField().value).toBe('https://typed.example.test/');
  });

  it('shows history times in the UI language’s format', async () => {
    vi.mocked(fakeBrowser.i18n.getMessage).mockImplementation((name: string, subs?: string | string[]) =>
      name === 'common_lang' ? 'ko' : [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
    );
    const at = '2026-05-02T13:02:03.000Z';
    answer = (name, input) => (name === 'getWebhookHistory' ? ok([result({ at })]) : defaults(name, input));
    render(<WebhookSection />);
    const cell = await screen.findByTestId('webhook-history-at');
    expect(cell.textContent).toBe(new Date(at).toLocaleString('ko-KR'));
    expect(cell.textContent).toMatch(/^2026\. 5\. [23]\. /); // year first, Korean style, in any time zone
    expect(cell.textContent).not.toBe(new Date(at).toLocaleString('en-US'));
  });
});

describe('Webhook tester: conformance probes', () => {
  beforeEach(() => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
  });

  it('are off by default; the ones checked are sent and each gets its own verdict row', async () => {
    const sent: { probes?: string[] }[] = [];
    const probes = [
      { probe: 'duplicate', resourceId: 'Rvy1c2dkzBAZ5hGD3rqYbxvr', status: 200, ms: 40, verdict: 'pass' },
      { probe: 'wrong-auth', resourceId: 'x1', status: 200, ms: 40, verdict: 'fail', reason: 'accepts_wrong_key' },
      { probe: 'id-type:app_user_id', resourceId: 'x2', status: 200, ms: 40, verdict: 'pass' },
      { probe: 'id-type:open_id', resourceId: 'x3', status: 400, ms: 40, verdict: 'fail', reason: 'client_error' },
    ];
    answer = (name, input) => {
      if (name !== 'sendTestWebhook') return defaults(name, input);
      sent.push(input as { probes?: string[] });
      return ok(result((input as { probes?: string[] }).probes ? { probes } : {}));
    };
    render(<WebhookSection />);
    const boxes = [...document.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="probes"]')];
    expect(boxes.map((b) => [b.value, b.checked])).toEqual([
      ['duplicate', false],
      ['wrong-auth', false],
      ['id-types', false],
    ]);
    expect(boxes.map((b) => b.closest('label')!.textContent)).toEqual(
      ['webhookProbes_optDuplicate', 'webhookProbes_optWrongAuth', 'webhookProbes_optIdTypes'].map((t) => ` ${t}`),
    );

    await submit('https://hooks.example.test/kakao');
    await waitFor(() => expect(verdict()).not.toBeNull());
    expect(sent[0]).not.toHaveProperty('probes');
    expect(document.querySelector('[data-probe]')).toBeNull();

    for (const b of boxes) fireEvent.click(b);
    expect(verdict()).toBeNull(); // the form changed
    await submit('https://hooks.example.test/kakao');
    await waitFor(() => expect(document.querySelectorAll('[data-probe]')).toHaveLength(4));
    expect(sent[1]!.probes).toEqual(['duplicate', 'wrong-auth', 'id-types']);
    const rows = [...document.querySelectorAll('[data-probe]')].map((el) => [
      el.getAttribute('data-probe'),
      el.getAttribute('data-verdict'),
      el.querySelector('p')!.textContent,
    ]);
    expect(rows).toEqual([
      ['duplicate', 'pass', 'webhookProbes_duplicatePass'],
      ['wrong-auth', 'fail', 'webhookProbes_wrongAuthFail'],
      ['id-type:app_user_id', 'pass', 'webhookProbes_idTypePass'],
      ['id-type:open_id', 'fail', 'webhookProbes_idTypeFail growth_reason_client_error'],
    ]);
    expect(document.querySelector('[data-testid="webhook-history-probes"]')!.textContent).toBe(
      'webhookProbes_summary|2|4',
    );
  });
});
