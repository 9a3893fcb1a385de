import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { sendMessage } from '@/lib/messages/messenger';
import type { CommandInput, CommandName, CommandOutputs } from '@/lib/messages/protocol';

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: KakaoErrorInfo };

/** Sends a command to the background; a refusal (a bug on our side) becomes an `internal` error. */
export async function call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CallResult<CommandOutputs[K]>> {
  const reply = await (sendMessage as (n: K, d: CommandInput<K>) => Promise<import('@/lib/messages/protocol').Reply<CommandOutputs[K]>>)(name, input);
  if (reply.ok) return reply;
  if ('error' in reply) return { ok: false, error: reply.error };
  return {
    ok: false,
    error: {
      code: 'internal',
      status: null,
      retryable: false,
      explanation: {
        ko: `Channel Desk 내부 오류입니다 (${reply.refusal}).`,
        en: `Channel Desk had an internal error (${reply.refusal}).`,
      },
      detail: reply.detail,
    },
  };
}
