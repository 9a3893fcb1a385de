import { createKakaoClient, type FileUser } from '../../lib/kakao/client';
import { createJobRunner, type JobRunnerDeps, type NewJob } from '../../lib/jobs/runner';
import type { JobStore } from '../../lib/jobs/store';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import type { SimulatorServer } from '../simulator/server';

/**
 * Every request the client made: path, the first user in the body (identifies the batch), and the HTTP status (0 = no
 * answer).
 */
interface SentCall {
  path: string;
  firstUser: string | undefined;
  status: number;
}

export function recordingClient(server: SimulatorServer, timeoutMs = 2_000) {
  const calls: SentCall[] = [];
  const client = createKakaoClient({
    origin: server.origin,
    getKey: async () => SIM_ADMIN_KEY,
    timeoutMs,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const body = typeof init?.body === 'string' ? init.body : '';
      const firstUser =
        /"users":\[\{"id":"(\d+)"/.exec(body)?.[1] ??
        /"user_ids":\["(\d+)"/.exec(body)?.[1] ??
        url.searchParams.get('target_ids')?.split(',')[0];
      const call: SentCall = { path: url.pathname, firstUser, status: 0 };
      calls.push(call);
      const res = await fetch(input, init);
      call.status = res.status;
      return res;
    },
  });
  return { client, calls };
}

export function makeRunner(client: JobRunnerDeps['client'], store: JobStore, concurrency = 4) {
  return createJobRunner({
    client,
    store,
    concurrency: async () => concurrency,
    retry: { retries: 8, baseDelayMs: 5, maxDelayMs: 40 },
  });
}

export function makeUsers(count: number, start = 5_000_000): FileUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(start + i),
    field: { 성별: i % 2 === 0 ? 'F' : 'M', 구매금액: i * 10 },
  }));
}

/** Creates a job and sends its items the way the workspace page does: whole-batch chunks. */
export async function createFilledJob(
  runner: ReturnType<typeof createJobRunner>,
  job: Omit<NewJob, 'total'>,
  items: unknown[],
) {
  const meta = await runner.create({ ...job, total: items.length });
  const chunk = meta.batchSize * 2;
  for (let offset = 0; offset < items.length; offset += chunk)
    await runner.addItems(meta.id, offset, items.slice(offset, offset + chunk));
  return meta;
}

export async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
