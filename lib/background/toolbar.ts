import { browser } from 'wxt/browser';
import { jobsItem } from '../storage/jobs';
import { sandboxModeItem, sandboxStatus } from '../sandbox/state';
import { DEFAULT_PROFILE_ID, keyStatus, keyWasCleared, watchKeyChanges } from '../storage/key-vault';
import { activeProfile, listProfiles, watchProfiles } from '../profiles/store';
import { toolbarState, type AttentionReason, type ToolbarInputs, type ToolbarState } from './toolbar-state';

/*
 * The toolbar state's wiring: gathers the inputs, applies toolbarState() through
 * the action API (tab-less, so it is every tab's default), and again whenever an
 * input changes. The badges feature's per-tab count composes with it (its title
 * carries `stateLine()`).
 */

type Action = Pick<typeof browser.action, 'setIcon' | 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

/** The inputs this module reads itself; the lookup limit is pushed in with `setAttention('limit', …)`. */
export type StoredToolbarInputs = Omit<ToolbarInputs, 'limitReached'>;

export interface ToolbarDeps {
  action: () => Action;
  read: () => Promise<StoredToolbarInputs>;
  /** Registers `onChange` for every stored input (key, sandbox mode, jobs) and browser start. */
  watch: (onChange: () => void) => void;
  /** Where a failed update is reported (it never throws into a caller). */
  log?: (message: string) => void;
}

export interface Toolbar {
  /** Reads the inputs and applies the state; concurrent calls are serialised, the last one wins. */
  refresh(): Promise<ToolbarState>;
  /**
   * External attention inputs. `limit`: the budgets feature reports the lookup limit reached (true) or lifted
   * (false).
   */
  setAttention(reason: Extract<AttentionReason, 'limit'>, on: boolean): Promise<ToolbarState>;
  /** The current state in one line for other titles, or null while normal. */
  stateLine(): string | null;
  start(): void;
}

export function createToolbar(deps: ToolbarDeps): Toolbar {
  let limitReached = false;
  let current: ToolbarState | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function apply(): Promise<ToolbarState> {
    const state = toolbarState({ ...(await deps.read()), limitReached });
    const action = deps.action();
    await action.setIcon({ path: state.icon });
    await action.setBadgeText({ text: state.badgeText });
    await action.setBadgeBackgroundColor({ color: state.badgeColor });
    await action.setTitle({ title: state.title });
    current = state;
    return state;
  }

  function refresh(): Promise<ToolbarState> {
    const run = queue.then(apply, apply);
    queue = run.catch((err: unknown) => {
      (deps.log ?? console.error)(`Channel Desk: the toolbar state was not updated (${String(err).slice(0, 200)})`);
    });
    return run;
  }

  return {
    refresh,
    setAttention(_reason, on) {
      limitReached = on;
      return refresh();
    },
    stateLine: () => current?.stateLine ?? null,
    start() {
      deps.watch(() => void refresh().catch(() => {}));
      void refresh().catch(() => {});
    },
  };
}

/** The toolbar on the real browser: the action API, the vault, the sandbox mode and the job list. */
export function createBrowserToolbar(): Toolbar {
  return createToolbar({
    action: () => (browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction)!,
    async read() {
      // The active profile's key (or relay token).
      const { id: profileId, mode } = await activeProfile();
      const [sandbox, key, keyCleared, jobs] = await Promise.all([
        sandboxStatus(profileId),
        keyStatus(profileId),
        keyWasCleared(profileId),
        jobsItem.getValue(),
      ]);
      return {
        sandbox: sandbox.active,
        keySaved: key.saved,
        keyCleared,
        keyLocked: key.locked === true,
        jobPaused: jobs.some((job) => job.status === 'paused'),
        relay: mode === 'relay',
      };
    },
    watch(onChange) {
      // Every profile's key (a switch, or a profile added later, changes which one counts).
      const watched = new Set<string>();
      const watchKeys = (ids: string[]) => {
        for (const id of ids) {
          if (watched.has(id)) continue;
          watched.add(id);
          watchKeyChanges(onChange, id);
        }
      };
      watchKeys([DEFAULT_PROFILE_ID]);
      void listProfiles().then((s) => watchKeys(s.profiles.map((p) => p.id)));
      watchProfiles((s) => {
        watchKeys(s.profiles.map((p) => p.id));
        onChange();
      });
      sandboxModeItem.watch(onChange);
      // Only whether a job is paused shows: a running job's progress writes (several a second) redraw nothing.
      let jobPaused: boolean | undefined;
      jobsItem.watch((jobs) => {
        const paused = jobs.some((job) => job.status === 'paused');
        if (paused === jobPaused) return;
        jobPaused = paused;
        onChange();
      });
      // The action's global state does not survive a browser restart (and the session key may not either).
      browser.runtime.onStartup.addListener(onChange);
      browser.runtime.onInstalled.addListener(onChange);
    },
  });
}
