import { i18n } from '#i18n';

/*
 * What the toolbar button says about the whole extension (not one tab): pure, so
 * every combination is unit-tested (test/unit/toolbar-state.test.ts). The wiring
 * (lib/background/toolbar.ts) gathers the inputs and applies the result through
 * the action API as the global (tab-less) icon, badge and title. A tab's page
 * badge count (lib/background/badges/toolbar-count.ts) sets that tab's badge and
 * title on top; the icon variant stays, and the count's title carries
 * `stateLine` so the state is still said there.
 */

/** Why the manager is asked to look; `limit` is the lookup limit (budgets), set from outside. */
export type AttentionReason = 'key_cleared' | 'key_missing' | 'key_locked' | 'job_paused' | 'limit';

export interface ToolbarInputs {
  /** Every API call is answered by the built-in simulator (lib/sandbox/state.ts). */
  sandbox: boolean;
  /** An Admin key is saved (session or remembered). */
  keySaved: boolean;
  /** A key saved for one browser session went when the browser closed (lib/storage/key-vault.ts `keyWasCleared`). */
  keyCleared: boolean;
  /** The saved key is PIN-locked (after a restart, or idle): every call fails until the manager enters the PIN. */
  keyLocked: boolean;
  /** At least one job waits in `paused` (by the manager or by an error). */
  jobPaused: boolean;
  /** The lookup limit is reached (fed by the budgets feature through `setAttention('limit', …)`). */
  limitReached: boolean;
  /** The active profile reaches Kakao through a relay: its secret is a relay token, not an Admin key. */
  relay?: boolean;
}

type ToolbarVariant = 'normal' | 'sandbox' | 'attention';

export interface ToolbarState {
  variant: ToolbarVariant;
  /** Paths for `action.setIcon({ path })`, rendered from assets/icon.svg by scripts/icons.ts. */
  icon: { 16: string; 32: string };
  badgeText: string;
  badgeColor: string;
  /** The button's tooltip: names the state and every reason for attention. */
  title: string;
  /** The state in one line for titles set elsewhere (a tab's page count), or null when normal. */
  stateLine: string | null;
}

/** Red badge, readable (white "!") on light and dark toolbars. */
const ATTENTION_BADGE_COLOR = '#c62828';

function attentionReasons(inputs: ToolbarInputs): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (inputs.keyCleared) reasons.push('key_cleared');
  // No key while the sandbox answers is the designed first run, not a problem; with the sandbox off it is.
  else if (!inputs.keySaved && !inputs.sandbox) reasons.push('key_missing');
  else if (inputs.keyLocked && !inputs.sandbox) reasons.push('key_locked');
  if (inputs.jobPaused) reasons.push('job_paused');
  if (inputs.limitReached) reasons.push('limit');
  return reasons;
}

function reasonText(reason: AttentionReason, relay: boolean): string {
  switch (reason) {
    case 'key_cleared':
      return i18n.t(relay ? 'toolbar.relayTokenCleared' : 'toolbar.keyCleared');
    case 'key_missing':
      return i18n.t(relay ? 'toolbar.relayTokenMissing' : 'toolbar.keyMissing');
    case 'key_locked':
      return i18n.t(relay ? 'toolbar.relayTokenLocked' : 'toolbar.keyLocked');
    case 'job_paused':
      return i18n.t('toolbar.jobPaused');
    case 'limit':
      return i18n.t('toolbar.limitReached');
  }
}

const iconPaths = (variant: ToolbarVariant) =>
  variant === 'normal'
    ? { 16: '/icons/16.png', 32: '/icons/32.png' }
    : { 16: `/icons/${variant}-16.png`, 32: `/icons/${variant}-32.png` };

export function toolbarState(inputs: ToolbarInputs): ToolbarState {
  const reasons = attentionReasons(inputs);
  const variant: ToolbarVariant = reasons.length > 0 ? 'attention' : inputs.sandbox ? 'sandbox' : 'normal';
  const lines: string[] = [];
  if (reasons.length > 0)
    lines.push(i18n.t('toolbar.attention', [reasons.map((r) => reasonText(r, inputs.relay === true)).join(' · ')]));
  if (inputs.sandbox) lines.push(i18n.t('toolbar.sandbox'));
  const stateLine = lines.length > 0 ? lines.join('\n') : null;
  return {
    variant,
    icon: iconPaths(variant),
    badgeText: reasons.length > 0 ? '!' : '',
    badgeColor: ATTENTION_BADGE_COLOR,
    title: stateLine === null ? i18n.t('extName') : `${i18n.t('extName')}\n${stateLine}`,
    stateLine,
  };
}
