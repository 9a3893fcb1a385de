import { browser } from 'wxt/browser';
import { parsePolicy } from './parse';
import type { PolicyState } from './types';

/*
 * The one source of truth for the organisation's policy: the background reads
 * `storage.managed` (Chrome: the 3rdparty policy checked against public/managed_schema.json;
 * Firefox: policies.json → 3rdparty.Extensions.<gecko id>) and parses it here. Pages get the
 * result through the `getPolicy` command. The parsed policy is kept until the managed area
 * changes (storage.onChanged, area `managed`).
 */

type ManagedArea = { get(keys?: null): Promise<Record<string, unknown>> };

/**
 * Reads and parses the managed area. No area (an old browser, a test browser), or one that cannot
 * be read (Firefox without any policy for the add-on rejects the read): no policy.
 */
export async function readPolicy(area: ManagedArea | undefined): Promise<PolicyState> {
  if (!area || typeof area.get !== 'function') return { policy: null, notes: [] };
  let raw: unknown;
  try {
    raw = await area.get(null);
  } catch {
    return { policy: null, notes: [] };
  }
  return parsePolicy(raw);
}

let cached: Promise<PolicyState> | undefined;
/** Kept only once something listens for changes (the policy feature's start): until then every read is fresh. */
let keep = false;

const managedArea = () => (browser.storage as unknown as { managed?: ManagedArea }).managed;

/** The policy now (background). */
export function currentPolicy(): Promise<PolicyState> {
  if (!keep) return readPolicy(managedArea());
  // No policy is not kept: Chrome delivers an extension's policy a moment after a fresh install.
  cached ??= readPolicy(managedArea()).then((state) => {
    if (state.policy === null) cached = undefined;
    return state;
  });
  return cached;
}

/** Keeps the parsed policy between reads; the caller must call `forgetPolicy` when the managed area changes. */
export function keepPolicyUntilChanged(): void {
  keep = true;
}

/** Forgets the parsed policy: the next read parses the managed area again. */
export function forgetPolicy(): void {
  cached = undefined;
}
