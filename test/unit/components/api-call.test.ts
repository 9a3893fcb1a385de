import { beforeEach, describe, expect, it, vi } from 'vitest';
import { explain } from '../../../lib/kakao/errors';

let answer: () => Promise<unknown> = async () => null;
vi.mock('@/lib/messages/messenger', () => ({ sendMessage: () => answer() }));

const { call } = await import('../../../components/api');

beforeEach(() => {
  answer = async () => null;
});

describe('call(): every caller gets an answer', () => {
  it('turns a failed send (the background restarting) into an internal error instead of hanging', async () => {
    answer = async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    const result = await call('getStatus', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'internal', status: null, retryable: false, explanation: explain('internal', null) },
    });
    if (!result.ok) expect(result.error.detail).toContain('Receiving end does not exist');
  });

  it('turns a refusal into the same internal explanation, with the refusal as detail', async () => {
    answer = async () => ({ ok: false, refusal: 'refused_sender', detail: 'getStatus is not allowed from content' });
    const result = await call('getStatus', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', explanation: explain('internal', null) } });
    if (!result.ok) expect(result.error.detail).toContain('refused_sender');
  });

  it('passes values and typed errors through', async () => {
    answer = async () => ({ ok: true, value: 42 });
    expect(await call('getStatus', {})).toEqual({ ok: true, value: 42 });
    const error = { code: 'no_key', status: null, retryable: false, explanation: explain('no_key', null) };
    answer = async () => ({ ok: false, error });
    expect(await call('getStatus', {})).toEqual({ ok: false, error });
  });
});
