import { growthCommands } from '../messages/commands/growth';
import type { BackgroundFeature, FeatureDeps } from './feature';

/** The growth feature's background side. */
export function createGrowthFeature(_deps: FeatureDeps): BackgroundFeature<typeof growthCommands> {
  return { handlers: {}, start() {} };
}
