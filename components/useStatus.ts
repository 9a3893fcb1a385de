import { useEffect, useState } from 'preact/hooks';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { call } from './api';

/** The key status, settings, sandbox state and working channels, from the background (loaded once per mount). */
export function useStatus(): { status: Status | null; error: KakaoErrorInfo | null } {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  useEffect(() => {
    void call('getStatus', {}).then((r) => (r.ok ? setStatus(r.value) : setError(r.error)));
  }, []);
  return { status, error };
}
