// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ApiLogPage, StoredApiCall } from '@/lib/api-log/model';
import { messagesAsKeys } from './dom';

type Answer = (name: string, input: Record<string, unknown>) => unknown;
let answer: Answer;
const calls: { name: string; input: Record<string, unknown> }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: Record<string, unknown>) => {
    calls.push({ name, input });
    return answer(name, input);
  },
}));
const saved: { blob: Blob; name: string }[] = [];
vi.mock('@/components/download', () => ({
  saveBlob: (blob: Blob, name: string) => saved.push({ blob, name }),
  stamp: () => '20260101-0000',
}));
const { default: ApiLogSection } = await import('@/components/workspace/ApiLogSection');

const ok = (value: unknown) => ({ ok: true, value });
const multi: StoredApiCall = {
  seq: 3,
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  method: 'GET',
  endpoint: '/v2/api/talk/channels/multi',
  channel: '_ZeUTxl,_frxjem',
  batchSize: 200,
  status: 200,
  durationMs: 1234,
  jobId: 'check-abc-1',
  shape: '[{channels:[{channel_public_id:string,relation:string}],user_id:number}]',
  tolerances: ['multi.missing-channels'],
  backend: 'real',
};
const failed: StoredApiCall = {
  seq: 2,
  at: Date.UTC(2026, 0, 2, 3, 0, 0),
  method: 'GET',
  endpoint: '/v2/api/talk/channels',
  batchSize: 1,
  status: 401,
  code: -401,
  durationMs: 80,
  shape: '{code:number,msg:string}',
  tolerances: [],
  backend: 'sandbox',
};
function logPage(records: StoredApiCall[], extra: Partial<ApiLogPage> = {}): ApiLogPage {
  return {
    records,
    total: records.length,
    stored: records.length,
    unreadable: 0,
    endpoints: [...new Set(records.map((r) => r.endpoint))],
    jobIds: [...new Set(records.flatMap((r) => (r.jobId ? [r.jobId] : [])))],
    ...extra,
  };
}

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  saved.length = 0;
  answer = (name) => (name === 'listApiLog' ? ok(logPage([multi, failed])) : ok({ cleared: true }));
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const rows = (c: Element) => [...c.querySelectorAll('tbody tr')];

describe('API log section', () => {
  it('lists each call with its endpoint, status, code, job link, shape, tolerances and sandbox marker', async () => {
    const { container } = render(<ApiLogSection />);
    await waitFor(() => expect(rows(container)).toHaveLength(2));
    const [first, second] = rows(container) as HTMLElement[];
    expect(first!.dataset).toMatchObject({
      endpoint: '/v2/api/talk/channels/multi',
      status: '200',
      outcome: 'ok',
      jobId: 'check-abc-1',
    });
    expect(first!.textContent).toContain('apiLog_endpoint_checkMany');
    expect(first!.textContent).toContain('GET /v2/api/talk/channels/multi');
    expect(first!.textContent).toContain('_ZeUTxl, _frxjem');
    expect(first!.querySelector('a[data-action="open-call-job"]')!.getAttribute('href')).toBe('#/jobs?job=check-abc-1');
    const shape = first!.querySelector<HTMLButtonElement>('[data-action="toggle-shape"]')!;
    expect(shape.title).toBe(multi.shape);
    expect(shape.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(shape);
    expect(shape.getAttribute('aria-expanded')).toBe('true');
    const tag = first!.querySelector('[data-tolerance="multi.missing-channels"]')!;
    expect(tag.getAttribute('title')).toBe('apiLog_toleranceTip|multi.missing-channels');
    expect(first!.querySelector('[data-testid="sandbox-call"]')).toBeNull();

    expect(second!.dataset).toMatchObject({
      endpoint: '/v2/api/talk/channels',
      status: '401',
      outcome: 'failed',
      kakaoCode: '-401',
      backend: 'sandbox',
    });
    expect(second!.querySelector('[data-testid="sandbox-call"]')).not.toBeNull();
    expect(second!.querySelector('[data-kakao-code], td[title]')).not.toBeNull();
  });

  it('sends the chosen filters and pages to the background', async () => {
    answer = (name) => (name === 'listApiLog' ? ok(logPage([multi], { total: 120, stored: 300 })) : ok(null));
    const { container } = render(<ApiLogSection />);
    await waitFor(() => expect(rows(container)).toHaveLength(1));
    fireEvent.change(container.querySelector('select[name="outcome"]')!, { target: { value: 'failed' } });
    await waitFor(() => expect(calls.at(-1)!.input).toMatchObject({ outcome: 'failed', offset: 0 }));
    fireEvent.change(container.querySelector('select[name="endpoint"]')!, {
      target: { value: '/v2/api/talk/channels/multi' },
    });
    await waitFor(() =>
      expect(calls.at(-1)!.input).toMatchObject({ outcome: 'failed', endpoint: '/v2/api/talk/channels/multi' }),
    );
    fireEvent.change(container.querySelector('select[name="jobId"]')!, { target: { value: 'check-abc-1' } });
    await waitFor(() => expect(calls.at(-1)!.input).toMatchObject({ jobId: 'check-abc-1' }));
    fireEvent.input(container.querySelector('input[name="text"]')!, { target: { value: '-401' } });
    await waitFor(() => expect(calls.at(-1)!.input).toMatchObject({ text: '-401' }));
    fireEvent.click(container.querySelector('[data-action="next-page"]')!);
    await waitFor(() => expect(calls.at(-1)!.input).toMatchObject({ text: '-401', offset: 50, limit: 50 }));
    expect(container.querySelector('[data-testid="page-label"]')!.textContent).toBe('workspace_check_page|2|3');
  });

  it('says what will appear here while the log is empty', async () => {
    answer = () => ok(logPage([]));
    const { container } = render(<ApiLogSection />);
    await waitFor(() =>
      expect(container.querySelector('[data-testid="api-log-empty"]')?.textContent).toBe('apiLog_empty'),
    );
    expect(container.querySelector<HTMLButtonElement>('[data-action="export-api-log"]')!.disabled).toBe(true);
    expect(container.querySelector<HTMLButtonElement>('[data-action="clear-api-log"]')!.disabled).toBe(true);
  });

  it('clears only after confirmation', async () => {
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    const { container } = render(<ApiLogSection />);
    await waitFor(() => expect(rows(container)).toHaveLength(2));
    fireEvent.click(container.querySelector('[data-action="clear-api-log"]')!);
    expect(confirm).toHaveBeenCalledWith('apiLog_clearConfirm');
    expect(calls.map((c) => c.name)).not.toContain('clearApiLog');
    confirm.mockReturnValue(true);
    answer = (name) => (name === 'listApiLog' ? ok(logPage([])) : ok({ cleared: true }));
    fireEvent.click(container.querySelector('[data-action="clear-api-log"]')!);
    await waitFor(() => expect(container.querySelector('[data-testid="api-log-empty"]')).not.toBeNull());
    expect(calls.map((c) => c.name)).toContain('clearApiLog');
  });

  it('exports every matching record, page by page, as a CSV', async () => {
    const many = Array.from({ length: 700 }, (_, i) => ({ ...multi, seq: 700 - i, durationMs: i }));
    answer = (name, input) => {
      if (name !== 'listApiLog') return ok(null);
      const offset = Number(input.offset ?? 0);
      const limit = Number(input.limit ?? 50);
      return ok(logPage(many.slice(offset, offset + limit), { total: 700, stored: 700 }));
    };
    const { container } = render(<ApiLogSection />);
    await waitFor(() => expect(rows(container)).toHaveLength(50));
    fireEvent.click(container.querySelector('[data-action="export-api-log"]')!);
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('channel-desk-api-log-20260101-0000.csv');
    const lines = (await saved[0]!.blob.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(701);
    expect(lines[0]).toBe(
      [
        'time',
        'backend',
        'method',
        'endpoint',
        'channel',
        'batch',
        'status',
        'code',
        'duration',
        'job',
        'shape',
        'tolerances',
      ]
        .map((c) => `apiLog_csv_${c}`)
        .join(','),
    );
    expect(lines[1]).toBe(
      '2026-01-02T03:04:05.000Z,real,GET,/v2/api/talk/channels/multi,"_ZeUTxl,_frxjem",200,200,,0,check-abc-1,' +
        `"${multi.shape}",multi.missing-channels`,
    );
    expect(calls.filter((c) => c.name === 'listApiLog' && c.input.limit === 500).map((c) => c.input.offset)).toEqual([
      0, 500,
    ]);
  });
});
