import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import './marker.css';
import { call } from '../api';

/** A clear "Sandbox" marker for full-page views (the workspace). Renders nothing with real data. */
export function SandboxBadge() {
  const [active, setActive] = useState(false);
  useEffect(() => {
    void call('getStatus', {}).then((r) => r.ok && setActive(r.value.sandbox.active));
  }, []);
  if (!active) return null;
  return (
    <p class="sandbox-tag" data-testid="sandbox" role="status">
      {i18n.t('common.sandbox')}
    </p>
  );
}
