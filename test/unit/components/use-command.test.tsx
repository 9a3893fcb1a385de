// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { explain } from '@/lib/kakao/errors';

type Answer = (name: string) => Promise<unknown>;
let answer: Answer;
const calls: string[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string) => {
    calls.push(name);
    return answer(name);
  },
}));
const { useCommand } = await import('@/components/useCommand');
const { StatusProvider, useStatus } = await import('@/components/useStatus');

const STATUS = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: true, mode: 'auto' },
  settings: {
    channelIds: ['_ZeUTxl'],
    rememberKey: false,
    selectedChannelId: null,
    cacheTtlMinutes: 10,
    concurrency: 4,
  },
};
const failure = {
  ok: false,
  error: { code: 'internal', status: null, retryable: false, explanation: explain('internal', null) },
};

function Sites() {
  const { value, error, loading } = useCommand('listSites', {});
  if (loading) return <p>loading</p>;
  return <p>{error ? `error ${error.code}` : `sites ${value?.sites.length}`}</p>;
}
function Sandbox({ label }: { label: string }) {
  const { status } = useStatus();
  return <p>{`${label}: ${status ? (status.sandbox.active ? 'sandbox' : 'real') : '…'}`}</p>;
}

beforeEach(() => {
  calls.length = 0;
  answer = async (name) =>
    name === 'getStatus' ? { ok: true, value: STATUS } : { ok: true, value: { sites: [1, 2] } };
});
afterEach(cleanup);

describe('useCommand', () => {
  it('shows loading, then the answer', async () => {
    render(<Sites />);
    expect(screen.getByText('loading')).toBeTruthy();
    await screen.findByText('sites 2');
  });

  it('shows the error when the command fails', async () => {
    answer = async () => failure;
    render(<Sites />);
    await screen.findByText('error internal');
  });
});

describe('StatusProvider', () => {
  it('loads the status once for every section inside it', async () => {
    render(
      <StatusProvider>
        <Sandbox label="nav" />
        <Sandbox label="section" />
      </StatusProvider>,
    );
    await screen.findByText('nav: sandbox');
    await screen.findByText('section: sandbox');
    expect(calls.filter((c) => c === 'getStatus')).toHaveLength(1);
  });

  it('a section rendered alone still loads its own status', async () => {
    render(<Sandbox label="alone" />);
    await screen.findByText('alone: sandbox');
    await waitFor(() => expect(calls).toEqual(['getStatus']));
  });
});
