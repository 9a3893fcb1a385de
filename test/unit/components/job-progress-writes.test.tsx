// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { JobMeta } from '@/lib/jobs/model';
import { messagesAsKeys } from './dom';

/* A file job's result and controls as the manager sees them. */

const calls: { name: string; input: unknown }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    return { ok: true, value: {} };
  },
}));
const { JobProgress } = await import('@/components/workspace/JobProgress');

const job = (over: Partial<JobMeta>) =>
  JobMeta.parse({
    id: 'delete-abc-def',
    kind: 'delete',
    status: 'done',
    createdAt: 1,
    updatedAt: 1,
    fileId: '1001',
    fileName: 'vip',
    channelId: '_ZeUTxl',
    total: 4,
    received: 4,
    batchSize: 2000,
    batches: 1,
    doneBatches: 1,
    doneItems: 4,
    ...over,
  });

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('file job results', () => {
  it('a partial delete (3 of 4 applied) is not a green "Done": warning state, the reason on screen, no API field names', () => {
    const { container } = render(<JobProgress job={job({ requestCount: 4, successCount: 3, failedItems: 1 })} />);
    const section = container.querySelector('[data-testid="job-progress"]')!;
    expect(section.getAttribute('data-outcome')).toBe('partial');
    expect(section.querySelector('.status')!.textContent).toBe('writes_partial');
    expect(section.querySelector('.status-done')).toBeNull();
    expect(container.querySelector('[data-testid="kakao-counts"]')!.className).not.toContain('success');
    expect(container.querySelector('[data-testid="not-applied"]')!.textContent).toBe('writes_notApplied|1');
    expect(container.textContent).toContain('writes_causePhone');
    expect(container.textContent).not.toMatch(/request_count|success_count|✓/);
  });

  it('a delete with no counts says so, and never shows invented counts', () => {
    const { container } = render(<JobProgress job={job({ noCountBatches: 1, noCountItems: 4 })} />);
    expect(container.querySelector('[data-testid="job-progress"]')!.getAttribute('data-outcome')).toBe('partial');
    expect(container.querySelector('[data-testid="no-counts"]')!.textContent).toBe('writes_noCounts|4|1');
    expect(container.querySelector('[data-testid="kakao-counts"]')).toBeNull();
  });

  it('a clean upload is done, with what Kakao applied', () => {
    const { container } = render(<JobProgress job={job({ kind: 'upload', requestCount: 4, successCount: 4 })} />);
    expect(container.querySelector('[data-testid="job-progress"]')!.getAttribute('data-outcome')).toBe('done');
    expect(container.querySelector('[data-testid="kakao-counts"]')!.className).toContain('success');
  });
});

describe('a paused file job that Kakao applied less of (reconcile)', () => {
  const reconcile = { batch: 0, requestCount: 2, successCount: 0, sample: ['4000000001', '4100000000'] };
  it('after the last batch it does not promise to "send the rest": nothing is left', () => {
    const { container } = render(
      <JobProgress
        job={job({
          status: 'paused',
          total: 2,
          received: 2,
          doneItems: 2,
          requestCount: 2,
          successCount: 0,
          reconcile,
        })}
      />,
    );
    const text = container.querySelector('[data-testid="reconcile"]')!.textContent!;
    expect(text).toContain('review_reconcileHelpLast');
    expect(text).not.toContain('writes_reconcileHelp');
  });
  it('with batches still to go it says resume sends the rest', () => {
    const { container } = render(
      <JobProgress
        job={job({
          status: 'paused',
          total: 4_000,
          received: 4_000,
          batches: 2,
          doneBatches: 1,
          doneItems: 2_000,
          requestCount: 2_000,
          successCount: 0,
          reconcile,
        })}
      />,
    );
    expect(container.querySelector('[data-testid="reconcile"]')!.textContent).toContain('writes_reconcileHelp');
  });
});

describe('confirmations', () => {
  it('cancel asks first with what is not sent yet and the file name; only the confirm button cancels', async () => {
    const { container } = render(
      <JobProgress job={job({ status: 'paused', total: 20_000, batches: 10, doneBatches: 4, doneItems: 8_000 })} />,
    );
    fireEvent.click(container.querySelector('[data-action="cancel-job"]')!);
    const dialog = await waitFor(() => container.querySelector('dialog[data-testid="confirm-dialog"]')!);
    expect(dialog.textContent).toContain('writes_cancelBody|12,000|20,000');
    expect(dialog.textContent).toContain('writes_cancelFile|vip');
    expect(calls).toEqual([]);
    fireEvent.click(dialog.querySelector('[data-action="dismiss"]')!);
    await waitFor(() => expect(container.querySelector('dialog')).toBeNull());
    expect(calls).toEqual([]);
    fireEvent.click(container.querySelector('[data-action="cancel-job"]')!);
    fireEvent.click(await waitFor(() => container.querySelector('[data-action="confirm-cancel"]')!));
    await waitFor(() => expect(calls).toEqual([{ name: 'cancelJob', input: { jobId: 'delete-abc-def' } }]));
  });

  it('resuming a delete with uncertain batches asks: resend, or finish without sending', async () => {
    const { container } = render(
      <JobProgress job={job({ status: 'paused', uncertainBatches: 1, uncertainItems: 4 })} />,
    );
    expect(container.querySelector('[data-testid="uncertain"]')!.textContent).toContain('writes_uncertainDelete');
    fireEvent.click(container.querySelector('[data-action="resume-job"]')!);
    fireEvent.click(await waitFor(() => container.querySelector('[data-action="resend-uncertain"]')!));
    await waitFor(() =>
      expect(calls).toEqual([{ name: 'startJob', input: { jobId: 'delete-abc-def', resendUncertain: true } }]),
    );
  });

  it('resuming an upload with uncertain batches resends them without asking', async () => {
    const { container } = render(
      <JobProgress job={job({ kind: 'upload', status: 'paused', uncertainBatches: 1, uncertainItems: 4 })} />,
    );
    expect(container.querySelector('[data-testid="uncertain"]')!.textContent).toContain('writes_uncertainUpload');
    fireEvent.click(container.querySelector('[data-action="resume-job"]')!);
    await waitFor(() => expect(calls).toEqual([{ name: 'startJob', input: { jobId: 'delete-abc-def' } }]));
  });
});
