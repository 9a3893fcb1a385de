import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import './marker.css';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { ManagedMark } from '../policy/ManagedMark';

/**
 * The options page's sandbox switch. Turning it on or off is an explicit choice; saving a key resets it to automatic.
 */
export function SandboxSwitch(props: { status: Status | null; onChange: (status: Status) => void }) {
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const { status } = props;
  if (!status) return null;
  const sandbox = status.sandbox;
  const managed = sandbox.managed === true;

  async function toggle(on: boolean) {
    const r = await call('setSandboxMode', { mode: on ? 'on' : 'off' });
    if (!r.ok) return setError(r.error);
    setError(null);
    props.onChange({ ...props.status!, sandbox: r.value });
  }

  return (
    <section class={`card${sandbox.active ? ' sandbox-card' : ''}`} data-testid="sandbox-switch">
      {sandbox.active ? (
        <p class="sandbox-tag" data-testid="sandbox">
          {i18n.t('common.sandbox')}
        </p>
      ) : null}
      <label class="inline">
        <input
          type="checkbox"
          name="sandbox"
          role="switch"
          checked={sandbox.active}
          disabled={managed}
          data-managed={managed ? 'true' : undefined}
          aria-describedby={managed ? 'sandboxManaged sandboxHelp' : 'sandboxHelp'}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        {i18n.t('growth.sandboxSwitch')}
        {managed ? <ManagedMark id="sandboxManaged" /> : null}
      </label>
      {managed ? (
        <p class="muted" data-testid="sandbox-managed">
          {i18n.t('policy.sandboxLocked')}
        </p>
      ) : null}
      <p id="sandboxHelp" class="muted">
        {i18n.t('growth.sandboxSwitchHelp')}{' '}
        {sandbox.mode === 'auto' && sandbox.active ? i18n.t('growth.sandboxAuto') : null}
        {!sandbox.active && !status.key.saved ? i18n.t('growth.sandboxOffNoKey') : null}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
