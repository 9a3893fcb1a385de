// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ErrorNotice } from '@/components/ErrorNotice';
import { APP_EXPLANATIONS, AppError } from '@/lib/app-error';
import { createWorkspaceFeature } from '@/lib/background/workspace';
import { errorInfo, explain, KakaoErrorInfo } from '@/lib/kakao/errors';
import { createJobRunner } from '@/lib/jobs/runner';
import { createJobStore } from '@/lib/jobs/store';
import { workspaceCommands } from '@/lib/messages/commands/workspace';
import { dispatch, type Handlers } from '@/lib/messages/router';

/* Channel Desk's own failures carry their own code and ko/en text, never Kakao's -2 sentence. */

const ID = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
const PAGE = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
const client = { addUsers: vi.fn(), deleteUsers: vi.fn(), checkRelationships: vi.fn() };

function workspace() {
  const store = createJobStore(`app-error-${Math.random()}`);
  const runner = createJobRunner({ client: client as never, store, concurrency: async () => 1 });
  const feature = createWorkspaceFeature({
    apiOrigin: 'https://kapi.kakao.com',
    client: client as never,
    store,
    runner,
  });
  return {
    runner,
    send: (name: keyof typeof workspaceCommands, data: unknown) =>
      dispatch(name, data, PAGE, feature.handlers as unknown as Handlers, ID),
  };
}

let lang: 'ko' | 'en' = 'en';
beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => (name === 'common_lang' ? lang : name));
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('app errors', () => {
  it('an unknown job is answered with code unknown_job and its own ko/en text, not the -2 text about user IDs', async () => {
    const { send } = workspace();
    for (const [name, data] of [
      ['startJob', { jobId: 'check-gone-1' }],
      ['addJobItems', { jobId: 'check-gone-1', offset: 0, items: ['1'] }],
      ['deleteJob', { jobId: 'check-gone-1' }],
    ] as const) {
      const reply = await send(name, data);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'unknown_job', retryable: false, explanation: APP_EXPLANATIONS.unknown_job },
      });
      // survives the message parse
      expect(KakaoErrorInfo.parse((reply as { error: unknown }).error).code).toBe('unknown_job');
      expect((reply as { error: KakaoErrorInfo }).error.explanation).not.toEqual(explain(-2, null));
    }
  });

  it('a started draft and a misaligned chunk say so, each with its own code', async () => {
    const { send, runner } = workspace();
    const created = (await send('createJob', { kind: 'check', total: 300, channelIds: ['_ZeUTxl'] })) as {
      ok: true;
      value: { id: string };
    };
    const jobId = created.value.id;
    const ids = Array.from({ length: 300 }, (_, i) => String(1000 + i));
    expect(await send('addJobItems', { jobId, offset: 100, items: ids.slice(0, 100) })).toMatchObject({
      ok: false,
      error: { code: 'chunk_misaligned', explanation: APP_EXPLANATIONS.chunk_misaligned },
    });
    expect(await send('startJob', { jobId })).toMatchObject({
      ok: false,
      error: { code: 'job_incomplete', explanation: APP_EXPLANATIONS.job_incomplete },
    });
    await runner.remove(jobId);
    expect(await send('addJobItems', { jobId, offset: 0, items: ids })).toMatchObject({
      ok: false,
      error: { code: 'unknown_job' },
    });
  });

  it('the notice shows the local code on data-error-code and the text in the catalog language', () => {
    const info = errorInfo(new AppError('unknown_job', 'unknown job check-1'));
    for (const l of ['ko', 'en'] as const) {
      lang = l;
      const { container, unmount } = render(<ErrorNotice error={info} />);
      const box = container.querySelector('[role="alert"]')!;
      expect(box.getAttribute('data-error-code')).toBe('unknown_job');
      expect(box.textContent).toContain(APP_EXPLANATIONS.unknown_job[l]);
      expect(box.textContent).not.toContain(explain(-2, null)[l]);
      unmount();
    }
  });

  it('a key-shaped value in the detail is redacted, and every code has both languages', () => {
    const err = new AppError('unknown_job', 'job a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(err.toInfo().detail).toBe('job [redacted]');
    for (const text of Object.values(APP_EXPLANATIONS)) {
      expect(text.ko).toMatch(/[가-힣]/);
      expect(text.en).toMatch(/[a-z]/);
    }
  });
});
