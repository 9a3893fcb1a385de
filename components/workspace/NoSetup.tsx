import { i18n } from '#i18n';

/** Empty state when the key or channels are missing. */
export function NoSetup() {
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
