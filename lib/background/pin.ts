import type { pinCommands } from '../messages/commands/pin';
import {
  keyStatus,
  lockIdleKeys,
  lockKey,
  PIN_IDLE_ALARM,
  PIN_MAX_TRIES,
  removePin,
  setLockAfterMinutes,
  setPin,
  unlockKey,
  type PinOutcome,
} from '../storage/key-vault';
import type { BackgroundFeature } from './feature';

const DONE: PinOutcome = { ok: true, triesLeft: PIN_MAX_TRIES, wiped: false };

/** The PIN lock's background side: the commands, and the alarm that locks keys left idle. */
export function createPinFeature(): BackgroundFeature<typeof pinCommands> {
  const reply = async (profileId: string, outcome: PinOutcome) => ({ ...outcome, key: await keyStatus(profileId) });
  return {
    handlers: {
      unlockKey: async ({ profileId, pin }) => reply(profileId, await unlockKey(pin, profileId)),
      async lockKey({ profileId }) {
        await lockKey(profileId);
        return reply(profileId, DONE);
      },
      setPin: async ({ profileId, pin, currentPin }) => reply(profileId, await setPin(pin, currentPin, profileId)),
      removePin: async ({ profileId, currentPin }) => reply(profileId, await removePin(currentPin, profileId)),
      async setLockAfter({ profileId, minutes }) {
        await setLockAfterMinutes(minutes, profileId);
        return reply(profileId, DONE);
      },
    },
    start() {
      const lockIdle = () =>
        lockIdleKeys().catch((err: unknown) => console.error('Channel Desk: locking idle keys failed', err));
      browser.alarms?.onAlarm.addListener((alarm) => {
        if (alarm.name === PIN_IDLE_ALARM) void lockIdle();
      });
      void lockIdle();
    },
  };
}
