import { createContext, createElement, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { useCommand } from './useCommand';

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
