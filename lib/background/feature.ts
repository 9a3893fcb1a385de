import { redact } from '../kakao/errors';
import type { KakaoClient } from '../kakao/client';
import type { CommandTable } from '../messages/define';
import type { HandlersFor } from '../messages/router';

/** What every background feature gets: the API origin and the one client (which alone reads the key). */
export interface FeatureDeps {
  apiOrigin: string;
  /** Sandbox-aware, with the active profile's key. */
  client: KakaoClient;
  /** Sandbox-aware, with a given profile's key (a badge site's bound profile); `client` when not given. */
  clientForProfile?: (profileId: string) => KakaoClient;
}

/** A background feature: its command handlers, and wiring run once when the worker starts. */
export interface BackgroundFeature<T extends CommandTable> {
  handlers: HandlersFor<T>;
  /**
   * Registers browser listeners (menus, alarms, …). Must be synchronous so events that woke the worker are not missed.
   */
  start(): void;
}

/**
 * Starts every feature, each on its own: one that throws is reported by name (its message redacted) and
 * the others still start, so a broken badge cache never stops jobs from resuming. Returns the names that failed.
 */
export function startFeatures(
  features: Readonly<Record<string, { start(): void }>>,
  log: (message: string) => void = (message) => console.error(message),
): string[] {
  const failed: string[] = [];
  for (const [name, feature] of Object.entries(features)) {
    try {
      feature.start();
    } catch (err) {
      failed.push(name);
      const kind = err instanceof Error ? err.name : typeof err;
      const message = err instanceof Error ? err.message : String(err);
      log(
        `Channel Desk: the ${name} feature failed to start (${kind}: ${redact(message).slice(0, 300)}); ` +
          `the others run.`,
      );
    }
  }
  return failed;
}
