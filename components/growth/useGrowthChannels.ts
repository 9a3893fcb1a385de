import { useEffect, useState } from 'preact/hooks';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { GrowthChannels } from '@/lib/messages/commands/growth';
import { call } from '../api';

export function useGrowthChannels() {
  const [data, setData] = useState<GrowthChannels | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  useEffect(() => {
    void call('getGrowthChannels', {}).then((r) => (r.ok ? setData(r.value) : setError(r.error)));
  }, []);
  return { data, error };
}
