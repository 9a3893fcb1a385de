/*
 * Demo facts the sandbox shows, small enough for any page to import (the
 * simulator itself is loaded only by the background, lazily).
 */

/**
 * The key the sandbox simulator accepts. It is not a real key and not hex, so it
 * can never be mistaken for one; it never leaves the extension except as the
 * webhook tester's demo Authorization while the sandbox is on.
 */
export const SANDBOX_ADMIN_KEY = 'sandbox-demo-key';
/** An origin that resolves nowhere: sandbox requests never touch the network. */
export const SANDBOX_ORIGIN = 'https://sandbox.channel-desk.invalid';

/** Demo channels, the same as the simulator's linked ones. */
export const DEMO_CHANNELS = [
  { publicId: '_ZeUTxl', uuid: '@채널데스크' },
  { publicId: '_frxjem', uuid: '@myshop' },
] as const;

/**
 * User IDs to try in the sandbox. Together they show every relation on the demo
 * channels (a unit test keeps that true against the simulator's seeding).
 */
export const DEMO_USER_IDS = ['4000000001', '1234567890', '4000000007'] as const;
