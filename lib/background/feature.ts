import type { KakaoClient } from '../kakao/client';
import type { CommandTable } from '../messages/define';
import type { HandlersFor } from '../messages/router';

/** What every background feature gets: the API origin and the one client (which alone reads the key). */
export interface FeatureDeps {
  apiOrigin: string;
  client: KakaoClient;
}

/** A background feature: its command handlers, and wiring run once when the worker starts. */
export interface BackgroundFeature<T extends CommandTable> {
  handlers: HandlersFor<T>;
  /** Registers browser listeners (menus, alarms, …). Must be synchronous so events that woke the worker are not missed. */
  start(): void;
}
