// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { JobMeta } from '@/lib/jobs/model';
import { createJobStore } from '@/lib/jobs/store';
import { jobsItem } from '@/lib/storage/jobs';
import { find, messagesAsKeys } from './dom';

/* Issue 16 items 5, 10, 13, 15 as a user sees them in the popup and the workspace. Each failed on the old code. */

type Answer = (name: string, input: unknown) => unknown;
let answer: Answer;
const calls: { name: string; input: unknown }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    return answer(name, input);
  },
}));
const { Popup } = await import('@/components/Popup');
const { default: FilesSection } = await import('@/components/workspace/FilesSection');
const { default: JobsSection } = await import('@/components/workspace/JobsSection');
const { CheckResults } = await import('@/components/workspace/CheckResults');
const { checkExport, reportFileName } = await import('@/components/workspace/report');

const ok = (value: unknown) => ({ ok: true, value });
const READY = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl', '_AbCdEf'], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  apiOrigin: 'https://kapi.kakao.com',
  ready: true,
  channelIds: ['_ZeUTxl', '_AbCdEf'],
  channelNames: { _ZeUTxl: '@channeldesk' },
};
const CLEARED = { ...READY, key: { saved: false, masked: null, remembered: false, cleared: true }, ready: false };
const RESULT = { user_id: '42', channels: [{ channel_public_id: '_ZeUTxl', relation: 'ADDED' }] };
const FILE = (id: string, status?: string) => ({
  file_id: id,
  file_name: `file-${id}`,
  status,
  schema: {},
  updated_at: undefined,
});

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  answer = (name) =>
    name === 'getStatus'
      ? ok(READY)
      : name === 'getRecentLookups'
        ? ok([])
        : name === 'checkUser'
          ? ok(RESULT)
          : ok({});
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('popup', () => {
  it('item 5: a key cleared by the browser closing is asked for again right there, with "remember on this device"', async () => {
    answer = (name, input) => {
      if (name === 'getStatus') return ok(CLEARED);
      if (name === 'saveSettings')
        return ok({
          ...READY,
          settings: { ...READY.settings, rememberKey: (input as { rememberKey: boolean }).rememberKey },
        });
      return ok([]);
    };
    render(<Popup />);
    const notice = await find('[data-testid="key-cleared"]');
    expect(notice.textContent).toContain('firsthour_keyClearedTitle');
    expect(document.querySelector('[data-testid="sandbox"]')).toBeNull();
    expect(document.querySelector('input[name="userId"]')).toBeNull(); // nothing to check until the key is back
    fireEvent.input(notice.querySelector('input[name="adminKey"]')!, {
      target: { value: 'c0ffee00deadbeef0123456789abcdef' },
    });
    fireEvent.click(notice.querySelector('input[name="rememberKey"]')!);
    fireEvent.submit(notice.querySelector('form')!);
    await find('input[name="userId"]');
    expect(calls.find((c) => c.name === 'saveSettings')?.input).toEqual({
      adminKey: 'c0ffee00deadbeef0123456789abcdef',
      channelIds: ['_ZeUTxl', '_AbCdEf'],
      rememberKey: true,
    });
    expect(document.querySelector('[data-testid="key-cleared"]')).toBeNull();
  });

  it('item 10: a 25-digit ID is told the real rule (at most 20 digits), not "digits only"', async () => {
    render(<Popup />);
    const input = await find<HTMLInputElement>('input[name="userId"]');
    fireEvent.input(input, { target: { value: '1234567890123456789012345' } });
    fireEvent.submit(input.closest('form')!);
    const message = await find('[data-testid="lookup"] .field-error');
    expect(message.textContent).toBe('firsthour_userIdTooLong|25|20');
    expect(calls.some((c) => c.name === 'checkUser')).toBe(false);
  });

  it('item 15: after "Check", keyboard focus is on the result, not the page body', async () => {
    render(<Popup />);
    await find('input[name="userId"]');
    fireEvent.input(document.querySelector('input[name="userId"]')!, { target: { value: '42' } });
    const button = document.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    button.focus();
    fireEvent.click(button);
    await find('[data-testid="lookup"] li, [data-testid="lookup"] [data-channel-id]');
    const region = document.querySelector<HTMLElement>('[data-testid="lookup"]')!;
    await waitFor(() => expect(document.activeElement).toBe(region));
    expect(region.getAttribute('tabindex')).toBe('-1');
  });
});

describe('customer files', () => {
  it('item 10: the slot meter says why it counts more files than the list shows, and statuses are translated', async () => {
    answer = (name) =>
      name === 'getStatus'
        ? ok(READY)
        : name === 'listCustomerFiles'
          ? ok({ files: [FILE('1', 'active'), FILE('2', 'weird_state')], usingSlot: 3, emptySlot: 27 })
          : ok({});
    render(<FilesSection />);
    const note = await find('[data-testid="slots-unlisted"]');
    expect(note.textContent).toBe('firsthour_slotsUnlisted|1');
    expect(document.querySelector('[data-file-id="1"] [data-file-status]')!.textContent).toBe(
      'firsthour_fileStatus_active',
    );
    // unknown: as Kakao wrote it
    expect(document.querySelector('[data-file-id="2"] [data-file-status]')!.textContent).toBe('weird_state');
  });

  it('item 13: the channel picker names the channel where Kakao told us its name', async () => {
    answer = (name) =>
      name === 'getStatus'
        ? ok(READY)
        : name === 'listCustomerFiles'
          ? ok({ files: [], usingSlot: 0, emptySlot: 30 })
          : ok({});
    render(<FilesSection />);
    await find('select[name="channelId"] option');
    expect([...document.querySelectorAll('select[name="channelId"] option')].map((o) => o.textContent)).toEqual([
      '@channeldesk · _ZeUTxl',
      '_AbCdEf',
    ]);
  });

  it('item 15: after an upload finished, "Add users" again starts a new import without pressing ✕', async () => {
    const jobId = 'upload-abc-def';
    answer = (name) => {
      if (name === 'getStatus') return ok(READY);
      if (name === 'listCustomerFiles') return ok({ files: [FILE('1', 'active')], usingSlot: 1, emptySlot: 29 });
      if (name === 'createJob' || name === 'addJobItems' || name === 'startJob') {
        const job = JobMeta.parse({
          id: jobId,
          kind: 'upload',
          status: 'done',
          backend: 'real',
          createdAt: 1,
          updatedAt: 2,
          channelId: '_ZeUTxl',
          fileId: '1',
          total: 2,
          received: 2,
          batchSize: 2000,
          batches: 1,
          doneBatches: 1,
          doneItems: 2,
          requestCount: 2,
          successCount: 2,
        });
        void jobsItem.setValue([job]);
        return ok(job);
      }
      return ok({});
    };
    render(<FilesSection />);
    fireEvent.click(await find('[data-action="add-users"]'));
    fireEvent.click(await find('[data-action="source-paste"]'));
    fireEvent.input(await find('textarea[name="pasteText"]'), { target: { value: '회원번호\n1001\n1002' } });
    fireEvent.click(await find('[data-action="dry-run"]'));
    fireEvent.click(await find('[data-action="start-job"]'));
    await find('[data-testid="import-upload"] [data-testid="job-progress"][data-status="done"]');

    fireEvent.click(document.querySelector('[data-action="add-users"]')!);
    await find('[data-testid="import-upload"] input[name="csvFile"]'); // a new import, from its first step
    expect(document.querySelector('[data-testid="import-upload"] [data-testid="job-progress"]')).toBeNull();
  });
});

describe('sandbox results are marked as demo (item 5)', () => {
  const demoJob = JobMeta.parse({
    id: 'check-abc-def',
    kind: 'check',
    status: 'done',
    backend: 'sandbox',
    createdAt: Date.UTC(2026, 0, 2, 3, 4),
    updatedAt: 2,
    channelIds: ['_ZeUTxl'],
    total: 1,
    received: 1,
    batchSize: 200,
    batches: 1,
    doneBatches: 1,
    doneItems: 1,
  });

  it('the results screen says demo data', async () => {
    render(<CheckResults job={demoJob} names={{ _ZeUTxl: '@채널데스크' }} />);
    expect((await find('[data-testid="demo-results"]')).textContent).toContain('firsthour_demoResults');
    expect(document.querySelector('[data-summary-channel="_ZeUTxl"] strong')!.textContent).toBe(
      '@채널데스크 · _ZeUTxl',
    );
  });

  it('the job history tags the row "Demo"', async () => {
    await jobsItem.setValue([demoJob, { ...demoJob, id: 'check-abc-deg', backend: 'real' }]);
    render(<JobsSection />);
    const row = await find('tr[data-job-id="check-abc-def"]');
    expect(row.querySelector('[data-testid="demo-tag"]')!.textContent).toBe('firsthour_demoTag');
    expect(document.querySelector('tr[data-job-id="check-abc-deg"] [data-testid="demo-tag"]')).toBeNull();
  });

  it('the export has a demo column', async () => {
    await createJobStore().completeBatch(demoJob.id, 0, {
      requestCount: 1,
      successCount: 1,
      rows: [['4000000001', 'ADDED', '2024-01-01T00:00:00Z']],
    });
    const text = await (await checkExport(demoJob)).text();
    const [header, ...rows] = text.split('\r\n').filter(Boolean);
    expect(header).toBe(
      '\uFEFFworkspace_report_userId,_ZeUTxl,_ZeUTxl ' +
        'relation_code,workspace_report_changedAt|_ZeUTxl,firsthour_demoColumn',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.endsWith(',firsthour_demoCell')).toBe(true);
  });

  it('export file names end in -demo.csv', () => {
    expect(reportFileName(demoJob, 'channel-desk-check', '20260102-0304')).toBe(
      'channel-desk-check-20260102-0304-demo.csv',
    );
    expect(reportFileName({ ...demoJob, backend: 'real' }, 'channel-desk-check', '20260102-0304')).toBe(
      'channel-desk-check-20260102-0304.csv',
    );
  });
});
