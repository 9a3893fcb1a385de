import { describe, expect, it } from 'vitest';
import { memoizeKey } from '@/lib/background/key-memo';

/* Issue 14 §3: the key is not read from storage before every call of a job, and a changed key is used at once. */

function setup(ttlMs = 5000) {
  let stored: string | null = 'key-one';
  let reads = 0;
  let clock = 0;
  const watchers: (() => void)[] = [];
  let gate: Promise<void> | undefined;
  const memo = memoizeKey(
    async () => {
      reads++;
      const value = stored;
      await gate;
      return value;
    },
    (cb) => watchers.push(cb),
    ttlMs,
    () => clock,
  );
  return {
    memo,
    reads: () => reads,
    change(next: string | null) {
      stored = next;
      watchers.forEach((cb) => cb());
    },
    tick: (ms: number) => (clock += ms),
    hold() {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

describe('the saved key, kept in memory for the calls of a job', () => {
  it('is read once for a burst of calls', async () => {
    const s = setup();
    const keys = await Promise.all(Array.from({ length: 40 }, () => s.memo.get()));
    expect(new Set(keys)).toEqual(new Set(['key-one']));
    expect(s.reads()).toBe(1);
  });

  it('is read again as soon as the key changes, and after its time is up', async () => {
    const s = setup(5000);
    await s.memo.get();
    s.change('key-two');
    expect(await s.memo.get()).toBe('key-two');
    s.change(null); // cleared
    expect(await s.memo.get()).toBeNull();
    s.tick(5000);
    await s.memo.get();
    expect(s.reads()).toBe(4);
  });

  it('does not keep a read that was under way when the key changed', async () => {
    const s = setup();
    const open = s.hold();
    const old = s.memo.get(); // reads "key-one", still in flight
    s.change('key-two');
    open();
    expect(await old).toBe('key-one'); // that call began before the change
    expect(await s.memo.get()).toBe('key-two');
  });

  it('forget() drops it at once (the background saved or cleared the key itself)', async () => {
    const s = setup();
    await s.memo.get();
    s.memo.forget();
    await s.memo.get();
    expect(s.reads()).toBe(2);
  });
});
