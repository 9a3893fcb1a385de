import { workspaceCommands } from '../messages/commands/workspace';
import type { BackgroundFeature, FeatureDeps } from './feature';

/** The workspace feature's background side. */
export function createWorkspaceFeature(_deps: FeatureDeps): BackgroundFeature<typeof workspaceCommands> {
  return { handlers: {}, start() {} };
}
