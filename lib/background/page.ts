import { pageCommands } from '../messages/commands/page';
import type { BackgroundFeature, FeatureDeps } from './feature';

/** The page feature's background side. */
export function createPageFeature(_deps: FeatureDeps): BackgroundFeature<typeof pageCommands> {
  return { handlers: {}, start() {} };
}
