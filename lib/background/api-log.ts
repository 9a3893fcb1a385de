import type { ApiLog } from '../api-log/store';
import type { apiLogCommands } from '../messages/commands/api-log';
import type { BackgroundFeature } from './feature';

/** The API log's background side: the log itself is fed by every client the background makes (see handlers.ts). */
export function createApiLogFeature(deps: { apiLog: ApiLog }): BackgroundFeature<typeof apiLogCommands> {
  return {
    handlers: {
      listApiLog: (query) => deps.apiLog.list(query),
      async clearApiLog() {
        await deps.apiLog.clear();
        return { cleared: true as const };
      },
    },
    start() {},
  };
}
