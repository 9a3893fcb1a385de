import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { CommandInput, CommandName, CommandOutputs } from '@/lib/messages/protocol';
import { call } from './api';

export interface CommandState<T> {
  value: T | null;
  error: KakaoErrorInfo | null;
  loading: boolean;
  /** Sends the command again; the value stays until the new answer arrives. */
  reload: () => void;
  /** Replaces the value locally (e.g. with what a later command answered), or updates it from the current one. */
  setValue: (next: T | ((current: T | null) => T)) => void;
}

/**
 * Sends a command when the component mounts (and again when `deps` change) and
 * keeps its answer or error. Unmount-safe: an answer arriving after unmount, or
 * after a newer request was sent, is dropped. `skip` sends nothing.
 */
export function useCommand<K extends CommandName>(
  name: K,
  input: CommandInput<K>,
  deps: readonly unknown[] = [],
  options: { skip?: boolean; initial?: CommandOutputs[K] | null } = {},
): CommandState<CommandOutputs[K]> {
  // `initial`: what to show until the answer comes (the popup's cached status); the answer replaces it.
  const [value, setValue] = useState<CommandOutputs[K] | null>(options.initial ?? null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    if (options.skip) return;
    const request = ++latest.current;
    let live = true;
    setLoading(true);
    void call(name, inputRef.current).then((r) => {
      if (!live || request !== latest.current) return;
      if (r.ok) {
        setValue(() => r.value);
        setError(null);
      } else setError(r.error);
      setLoading(false);
    });
    return () => {
      live = false;
    };
    // `deps` (not `input`) decide when to send again.
  }, [name, options.skip, round, ...deps]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  const set = useCallback(
    (next: CommandOutputs[K] | ((current: CommandOutputs[K] | null) => CommandOutputs[K])) =>
      setValue((current) =>
        typeof next === 'function' ? (next as (c: CommandOutputs[K] | null) => CommandOutputs[K])(current) : next,
      ),
    [],
  );
  return { value, error, loading, reload, setValue: set };
}
