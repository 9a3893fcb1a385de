import { i18n } from '#i18n';
import './marker.css';
import { DEMO_USER_IDS } from '@/lib/sandbox/demo';
import type { Status } from '@/lib/messages/protocol';

/**
 * The popup's sandbox marker. Without a saved key it keeps the call to action
 * to add the real key (`data-testid="no-key"`), and offers demo user IDs.
 */
export function SandboxBanner(props: { status: Status; onOpenOptions: () => void; onTry: (userId: string) => void }) {
  const { status } = props;
  return (
    <section class="card sandbox-card" data-testid="sandbox" aria-label={i18n.t('common.sandbox')}>
      <p class="sandbox-tag">{i18n.t('common.sandbox')}</p>
      {status.key.saved ? (
        <p class="muted">{i18n.t('growth.sandboxBannerOn')}</p>
      ) : (
        <div data-testid="no-key">
          <p>{i18n.t('growth.sandboxBannerNoKey')}</p>
          <button type="button" class="primary" onClick={props.onOpenOptions}>
            {i18n.t('popup.openOptions')}
          </button>
        </div>
      )}
      <p class="muted" id="sandbox-try">
        {i18n.t('growth.sandboxTryUsers')}
      </p>
      <div class="chips" role="group" aria-labelledby="sandbox-try">
        {DEMO_USER_IDS.map((id) => (
          <button type="button" class="chip" key={id} data-demo-user={id} onClick={() => props.onTry(id)}>
            {id}
          </button>
        ))}
      </div>
    </section>
  );
}
