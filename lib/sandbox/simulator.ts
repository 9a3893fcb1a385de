import { createKakaoSimulator, SIM_CHANNELS, type KakaoSimulator } from '../simulator/model';
import { SANDBOX_ADMIN_KEY } from './demo';

/*
 * The sandbox's simulator: the same model the test server serves (not a copy),
 * with demo customer files seeded through its own API so they look exactly like
 * files a manager made. The background imports this module lazily.
 */

const DEMO_FILES: {
  channelId: string;
  name: string;
  schema: Record<string, 'string' | 'number'>;
  users: { id: string; field: Record<string, string | number> }[];
}[] = [
  {
    channelId: '_ZeUTxl',
    name: '체험용_VIP_고객',
    schema: { 성별: 'string', 구매금액: 'number' },
    users: Array.from({ length: 24 }, (_, i) => ({
      id: String(4000000001 + i),
      field: { 성별: i % 2 === 0 ? 'F' : 'M', 구매금액: 10000 + i * 2500 },
    })),
  },
  {
    channelId: '_ZeUTxl',
    name: '체험용_신규가입',
    schema: { 가입일: 'string' },
    users: Array.from({ length: 8 }, (_, i) => ({
      id: String(4000000101 + i),
      field: { 가입일: `2024-05-${String(i + 1).padStart(2, '0')}` },
    })),
  },
  {
    channelId: '_frxjem',
    name: 'Demo customers',
    schema: { 포인트: 'number' },
    users: Array.from({ length: 12 }, (_, i) => ({ id: String(4000000201 + i), field: { 포인트: i * 100 } })),
  },
];

function post(sim: KakaoSimulator, path: string, body: unknown) {
  const { response } = sim.handle({
    method: 'POST',
    url: path,
    headers: { authorization: `KakaoAK ${SANDBOX_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response || response.status !== 200) throw new Error(`sandbox seeding failed: ${path} ${response?.body ?? ''}`);
  return JSON.parse(response.body) as Record<string, unknown>;
}

export function createSandboxSimulator(): KakaoSimulator {
  const sim = createKakaoSimulator({
    adminKeys: [SANDBOX_ADMIN_KEY],
    channels: SIM_CHANNELS,
    preexistingFiles: { _ZeUTxl: 1 },
  });
  for (const file of DEMO_FILES) {
    const created = post(sim, '/v1/talkchannel/create/target_user_file', {
      channel_public_id: file.channelId,
      file_name: file.name,
      schema: file.schema,
    });
    post(sim, '/v1/talkchannel/update/target_users', {
      file_id: created.file_id,
      channel_public_id: file.channelId,
      user_type: 'app',
      users: file.users,
    });
  }
  sim.clearLog();
  return sim;
}
