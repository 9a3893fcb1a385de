import { browser } from 'wxt/browser';
import type { policyCommands } from '../messages/commands/policy';
import { currentPolicy, forgetPolicy, keepPolicyUntilChanged } from '../policy/current';
import type { BackgroundFeature } from './feature';

/**
 * The organisation's policy, background side: pages ask for the parsed policy; a change to the
 * managed area (an admin pushed a new policy) is read again on the next use.
 */
export function createPolicyFeature(options: { onChange?: () => void } = {}): BackgroundFeature<typeof policyCommands> {
  return {
    handlers: {
      getPolicy: () => currentPolicy(),
    },
    start() {
      keepPolicyUntilChanged();
      browser.storage.onChanged.addListener((_changes, area) => {
        if (area !== 'managed') return;
        forgetPolicy();
        options.onChange?.();
      });
    },
  };
}
