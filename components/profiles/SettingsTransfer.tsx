import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { ImportPreview } from '@/lib/profiles/transfer';
import { parseSitePattern } from '@/lib/badges/sites';
import { call } from '../api';
import { saveBlob } from '../download';
import { ErrorNotice } from '../ErrorNotice';

/** Origins of the site patterns a settings file adds (asked for in the Apply click, as adding a site does). */
function originsOf(added: string[]): string[] {
  return added.flatMap((pattern) => {
    const parsed = parseSitePattern(pattern);
    return parsed.ok ? [parsed.origin] : [];
  });
}

/**
 * Settings transfer: export the profiles (never a key), sites, rules and budgets as `channel-desk-settings.json`;
 * import one: checked (a key in it is refused), previewed, then applied.
 */
export function SettingsTransfer(props: { onApplied: () => void }) {
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [pending, setPending] = useState<{ text: string; preview: ImportPreview } | null>(null);
  const [applied, setApplied] = useState(false);

  async function onExport() {
    setError(null);
    const r = await call('exportSettings', {});
    if (!r.ok) return setError(r.error);
    saveBlob(new Blob([r.value.text], { type: 'application/json' }), r.value.fileName);
  }

  async function onFile(input: HTMLInputElement) {
    setError(null);
    setPending(null);
    setApplied(false);
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    const r = await call('previewSettingsImport', { text });
    if (!r.ok) {
      input.value = '';
      return setError(r.error);
    }
    setPending({ text, preview: r.value });
  }

  async function onApply() {
    if (!pending) return;
    setError(null);
    // New sites need their host permission, asked for in this click (the browser's prompt needs it).
    const origins = originsOf(pending.preview.sites.added);
    if (origins.length > 0) await browser.permissions.request({ origins }).catch(() => false);
    const r = await call('applySettingsImport', { text: pending.text });
    if (!r.ok) return setError(r.error);
    setPending(null);
    setApplied(true);
    props.onApplied();
  }

  const p = pending?.preview;
  return (
    <section class="card" aria-labelledby="transfer-title" data-testid="settings-transfer">
      <h2 id="transfer-title">{i18n.t('profiles.transferTitle')}</h2>
      <p class="muted">{i18n.t('profiles.transferIntro')}</p>
      <div class="row wrap">
        <button type="button" data-action="export-settings" onClick={() => void onExport()}>
          {i18n.t('profiles.export')}
        </button>
        <label for="settingsFile">{i18n.t('profiles.importLabel')}</label>
        <input
          id="settingsFile"
          name="settingsFile"
          type="file"
          accept="application/json,.json"
          onChange={(e) => void onFile(e.currentTarget)}
        />
      </div>
      <div aria-live="polite">
        {error ? <ErrorNotice error={error} /> : null}
        {applied ? (
          <p class="success" data-testid="import-applied">
            ✓ {i18n.t('profiles.importApplied')}
          </p>
        ) : null}
        {p ? (
          <div data-testid="import-preview">
            <h3>{i18n.t('profiles.previewTitle')}</h3>
            <PreviewList
              label={i18n.t('profiles.previewProfilesAdded')}
              items={p.profiles.added}
              kind="profile-added"
            />
            <PreviewList
              label={i18n.t('profiles.previewProfilesChanged')}
              items={p.profiles.changed}
              kind="profile-changed"
            />
            <PreviewList
              label={i18n.t('profiles.previewProfilesRemoved')}
              items={p.profiles.removed}
              kind="profile-removed"
            />
            <PreviewList label={i18n.t('profiles.previewSitesAdded')} items={p.sites.added} kind="site-added" />
            <PreviewList label={i18n.t('profiles.previewSitesChanged')} items={p.sites.changed} kind="site-changed" />
            <PreviewList label={i18n.t('profiles.previewSitesRemoved')} items={p.sites.removed} kind="site-removed" />
            <PreviewList
              label={i18n.t('profiles.previewSettings')}
              items={p.settings.map((s) => `${s.name}: ${s.from} → ${s.to}`)}
              kind="setting-changed"
            />
            <p class="muted">{i18n.t('profiles.previewKeys')}</p>
            <div class="row">
              <button type="button" class="primary" data-action="import-apply" onClick={() => void onApply()}>
                {i18n.t('profiles.apply')}
              </button>
              <button type="button" data-action="import-cancel" onClick={() => setPending(null)}>
                {i18n.t('profiles.cancel')}
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function PreviewList({ label, items, kind }: { label: string; items: string[]; kind: string }) {
  if (items.length === 0) return null;
  return (
    <div data-preview={kind}>
      <p class="m0">{label}</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
