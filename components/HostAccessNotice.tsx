import { useEffect, useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { API_ORIGIN } from '@/lib/kakao/config';
import { apiHostPermission } from '@/lib/kakao/origin';
import { createHostAccess } from '@/lib/platform/host-access';

/**
 * Shown when the browser withholds access to the Kakao API host (Firefox MV3 lets
 * the user decline or revoke host permissions; Chrome lets them restrict site
 * access). Hidden while access is granted. The button asks the browser directly
 * from the click, as Firefox requires.
 */
export function HostAccessNotice() {
  const access = useMemo(() => createHostAccess(browser.permissions, [apiHostPermission(API_ORIGIN)]), []);
  const [state, setState] = useState<'checking' | 'granted' | 'missing' | 'just-granted' | 'declined'>('checking');

  useEffect(() => {
    const refresh = () =>
      void access
        .has()
        .then((has) =>
          setState((prev) =>
            has
              ? prev === 'checking' || prev === 'granted'
                ? 'granted'
                : 'just-granted'
              : prev === 'declined'
                ? 'declined'
                : 'missing',
          ),
        );
    refresh();
    return access.watch(refresh);
  }, [access]);

  function grant() {
    // No await before this call: Firefox only honours a request made inside the click.
    void access.request().then((granted) => setState(granted ? 'just-granted' : 'declined'));
  }

  if (state === 'checking' || state === 'granted') return null;
  const host = new URL(API_ORIGIN).host;
  if (state === 'just-granted') {
    return (
      <p class="success" role="status" data-testid="host-access" data-host-access="granted">
        ✓ {i18n.t('hostAccess.granted', [host])}
      </p>
    );
  }
  return (
    <section class="notice warn" role="alert" data-testid="host-access" data-host-access="missing">
      <h2 class="mt0">{i18n.t('hostAccess.title')}</h2>
      <p>{i18n.t('hostAccess.body', [host])}</p>
      {state === 'declined' ? <p class="field-error">{i18n.t('hostAccess.declined')}</p> : null}
      <button type="button" class="primary" data-action="grant-host-access" onClick={grant}>
        {i18n.t('hostAccess.grant')}
      </button>
    </section>
  );
}
