import type { KakaoErrorInfo } from '@/lib/kakao/errors';
// The zod-free half of lib/kakao/errors.ts (which re-exports it), so pages do not load zod at first paint.
import { explain } from '@/lib/kakao/explain';
import { sendMessage } from '@/lib/messages/messenger';
import type { CommandInput, CommandName, CommandOutputs, Reply } from '@/lib/messages/protocol';

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: KakaoErrorInfo };

function internalError(detail: string | undefined): { ok: false; error: KakaoErrorInfo } {
  return {
    ok: false,
    error: {
      code: 'internal',
      status: null,
      retryable: false,
      explanation: explain('internal', null),
      ...(detail ? { detail } : {}),
    },
  };
}

/**
 * Sends a command to the background. A refusal (a bug on our side) or a failed
 * send (e.g. "Receiving end does not exist" while the service worker restarts)
 * becomes an `internal` error, so no caller waits forever.
 */
export async function call<K extends CommandName>(
  name: K,
  input: CommandInput<K>,
): Promise<CallResult<CommandOutputs[K]>> {
  let reply: Reply<CommandOutputs[K]>;
  try {
    reply = await (sendMessage as (n: K, d: CommandInput<K>) => Promise<Reply<CommandOutputs[K]>>)(name, input);
  } catch (err) {
    return internalError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (reply.ok) return reply;
  if ('error' in reply) return { ok: false, error: reply.error };
  return internalError(`${reply.refusal}: ${reply.detail}`);
}
