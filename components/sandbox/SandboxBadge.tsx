import { i18n } from '#i18n';
import './marker.css';
import { useStatus } from '../useStatus';

/** A clear "Sandbox" marker for full-page views (the workspace). Renders nothing with real data. */
export function SandboxBadge() {
  const { status } = useStatus();
  if (!status?.sandbox.active) return null;
  return (
    <p class="sandbox-tag" data-testid="sandbox" role="status">
      {i18n.t('common.sandbox')}
    </p>
  );
}
