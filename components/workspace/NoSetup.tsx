import { i18n } from '#i18n';
import { KeyClearedNotice } from '../KeyClearedNotice';
import { useStatus } from '../useStatus';

/**
 * Empty state when the key or channels are missing; after a browser restart cleared a session-only key, asks for it
 * again.
 */
export function NoSetup() {
  const { status } = useStatus();
  if (!status) return null;
  if (status.key.cleared && !status.key.saved && !status.sandbox.active) {
    return <KeyClearedNotice status={status} onSaved={() => location.reload()} />;
  }
  return (
    <section class="card" data-testid="no-setup">
      <h2>{i18n.t('workspace.noSetupTitle')}</h2>
      <p>{i18n.t('workspace.noSetupBody')}</p>
      <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
        {i18n.t('popup.openOptions')}
      </button>
    </section>
  );
}
