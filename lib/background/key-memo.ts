/**
 * The saved key as the Kakao client reads it before every call, kept in the background's memory
 * (the only context that holds the key) instead of being read from storage — and, for a remembered
 * key, unsealed — before each call of a bulk job (issue 14 §3).
 *
 * A read is reused for at most `ttlMs`, and dropped as soon as the key changes: the vault's change
 * notices (`watch`) and the background's own saves and clears (`forget`). A read that was under way
 * when the key changed is not kept. The same for a profile's route (direct or its relay), forgotten when the
 * profiles change.
 */
export function memoizeKey<T = string | null>(
  read: () => Promise<T>,
  watch: (cb: () => void) => unknown,
  ttlMs = 5000,
  now: () => number = Date.now,
) {
  let kept: { value: Promise<T>; at: number } | undefined;
  let changes = 0;
  const forget = () => {
    changes++;
    kept = undefined;
  };
  watch(forget);
  return {
    get(): Promise<T> {
      if (kept && now() - kept.at < ttlMs) return kept.value;
      const seen = changes;
      const entry = { value: read(), at: now() };
      kept = entry;
      entry.value.then(
        () => {
          if (seen !== changes && kept === entry) kept = undefined;
        },
        () => {
          if (kept === entry) kept = undefined;
        },
      );
      return entry.value;
    },
    forget,
  };
}
