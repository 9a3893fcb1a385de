import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ProtocolMap } from './protocol';

/** Typed messaging between extension contexts. Logging is off: messages may carry a key being tested. */
export const messenger = defineExtensionMessaging<ProtocolMap>({ logger: undefined });
export const { sendMessage } = messenger;
