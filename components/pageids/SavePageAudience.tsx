import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';

/** lib/audiences/model.ts MAX_AUDIENCE_NAME (not imported: the popup loads no zod at first paint). */
const MAX_NAME = 60;

type View =
  | { kind: 'hidden' }
  | { kind: 'ready'; tabId: number; count: number; capped: boolean }
  | { kind: 'saving'; tabId: number; count: number; capped: boolean }
  | { kind: 'saved'; name: string; count: number };

/** The default name: the page's title (else its host) and today's date. */
function defaultName(title: string | undefined, host: string): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const base = (title?.trim() || host).slice(0, MAX_NAME - date.length - 1).trim();
  return `${base} ${date}`;
}

/** The tab the popup is about: `popup.html?tabId=…` (opened for a given tab), else the active tab. */
async function targetTab() {
  const wanted = Number(new URLSearchParams(location.search).get('tabId') ?? NaN);
  if (Number.isInteger(wanted) && wanted >= 0) return browser.tabs.get(wanted).catch(() => undefined);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/**
 * Popup: "Save this page's IDs as an audience" (issue 12). The IDs are the background's own record of what the
 * tab's badges looked up; this click (an extension page) is the only way it becomes an audience.
 */
export function SavePageAudience() {
  const [view, setView] = useState<View>({ kind: 'hidden' });
  const [name, setName] = useState('');
  const [error, setError] = useState<KakaoErrorInfo | null>(null);

  useEffect(() => {
    void (async () => {
      const tab = await targetTab();
      if (!tab?.url || tab.id === undefined) return;
      const url = new URL(tab.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
      const r = await call('getPageIdCount', { tabId: tab.id });
      if (!r.ok) return setError(r.error);
      setName(defaultName(tab.title, url.host));
      setView({ kind: 'ready', tabId: tab.id, count: r.value.count, capped: r.value.capped });
    })();
  }, []);

  async function save() {
    if (view.kind !== 'ready' || view.count === 0) return;
    setError(null);
    setView({ ...view, kind: 'saving' });
    const r = await call('createAudienceFromPage', { tabId: view.tabId, name: name.trim() });
    if (!r.ok) {
      setError(r.error);
      return setView({ ...view, kind: 'ready' });
    }
    setView({ kind: 'saved', name: r.value.name, count: r.value.count });
  }

  const audiencesUrl = () => browser.runtime.getURL('/workspace.html#/audiences');

  if (view.kind === 'hidden') return error ? <ErrorNotice error={error} /> : null;
  return (
    <section aria-live="polite" data-testid="page-audience" aria-labelledby="page-audience-title">
      <h2 id="page-audience-title">{i18n.t('pageids.title')}</h2>
      {view.kind === 'saved' ? (
        <>
          <p class="success" data-testid="page-audience-saved">
            ✓ {i18n.t('pageids.saved', [view.name, view.count.toLocaleString()])}
          </p>
          <a
            href={audiencesUrl()}
            target="_blank"
            rel="noreferrer"
            data-action="open-audiences"
            onClick={(e) => {
              e.preventDefault();
              void browser.tabs.create({ url: audiencesUrl() });
            }}
          >
            {i18n.t('pageids.openAudiences')}
          </a>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {view.count === 0 ? <p class="muted">{i18n.t('pageids.none')}</p> : null}
          <label for="audienceName">{i18n.t('pageids.name')}</label>
          <input
            id="audienceName"
            name="audienceName"
            type="text"
            autoComplete="off"
            maxLength={MAX_NAME}
            required
            value={name}
            disabled={view.count === 0}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          {view.capped ? <p class="muted">{i18n.t('pageids.capped', [view.count.toLocaleString()])}</p> : null}
          <button
            type="submit"
            data-action="save-page-audience"
            disabled={view.count === 0 || view.kind === 'saving' || name.trim() === ''}
          >
            {view.kind === 'saving' ? i18n.t('pageids.saving') : i18n.t('pageids.save', [view.count.toLocaleString()])}
          </button>
        </form>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
