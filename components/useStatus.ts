import { createContext, createElement, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { useCommand, type CommandState } from './useCommand';

export interface StatusValue {
  status: Status | null;
  error: KakaoErrorInfo | null;
}

const StatusContext = createContext<StatusValue | null>(null);

/**
 * Loads the status once for everything inside (the workspace shell), and again
 * when `reloadKey` changes (the shell passes the section, so a section never
 * shows a status older than its own opening, as when each section loaded its own).
 */
export function StatusProvider({ reloadKey, children }: { reloadKey?: unknown; children: ComponentChildren }) {
  const { value, error } = useCommand('getStatus', {}, [reloadKey]);
  return createElement(StatusContext.Provider, { value: { status: value, error } }, children);
}

/**
 * The key status, settings, sandbox state and working channels, from the background:
 * the shell's (StatusProvider) when there is one, else loaded once per mount.
 */
export function useStatus(): StatusValue {
  const shared = useContext(StatusContext);
  const own = useCommand('getStatus', {}, [], { skip: shared !== null });
  return shared ?? { status: own.value, error: own.error };
}

const loadCachedStatus = (): Promise<Status | null> =>
  import('@/lib/storage/status-cache').then((m) => m.statusCacheItem.getValue()).catch(() => null);

let early: Promise<Status | null> | undefined;
/**
 * Starts reading the background's status copy before the popup renders; the popup's first `useFastStatus`
 * takes that read. The copy's zod schema is loaded on demand: in the popup's first-paint bundle it would break
 * the popup's size budget.
 */
export function readCachedStatus(): void {
  early ??= loadCachedStatus();
}

/**
 * The popup's status: painted from the background's copy in storage.session (lib/storage/status-cache.ts)
 * as soon as it is read, without waiting for the worker; the background is asked at the same time and its
 * answer (or error) replaces the copy, so a stale copy never stays on screen.
 */
export function useFastStatus(): CommandState<Status> {
  const command = useCommand('getStatus', {});
  const [cached, setCached] = useState<Status | null>(null);
  useEffect(() => {
    let live = true;
    const read = early ?? loadCachedStatus();
    early = undefined;
    void read.then((s) => live && setCached(s));
    return () => {
      live = false;
    };
  }, []);
  return { ...command, value: command.value ?? (command.error ? null : cached) };
}
