import { useCommand } from '../useCommand';

/** The channels the growth tools offer, loaded once per mount. */
export function useGrowthChannels() {
  const { value: data, error } = useCommand('getGrowthChannels', {});
  return { data, error };
}
