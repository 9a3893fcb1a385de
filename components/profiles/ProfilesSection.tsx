import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { ProfilesView } from '@/lib/profiles/model';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { profileLabel, ProfileSwatch, ProfileSwitcher } from './ProfileSwitcher';

/**
 * Options: the profiles (one Kakao app's key and channels each). Pick the one to edit (it becomes the active
 * one), add, reorder and delete; the form below edits the active profile.
 */
export function ProfilesSection(props: { profiles: ProfilesView; onChanged: () => void }) {
  const { profiles, onChanged } = props;
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<{ ok: true } | { ok: false; error: KakaoErrorInfo }>) {
    setBusy(true);
    setError(null);
    const r = await work();
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onChanged();
  }

  function onAdd(event: Event) {
    event.preventDefault();
    const name = newName.trim();
    if (!name) return;
    void run(async () => {
      const added = await call('addProfile', { name });
      if (!added.ok) return added;
      setNewName('');
      // The new profile is the one the form below edits.
      return call('setActiveProfile', { profileId: added.value.added });
    });
  }

  function move(index: number, by: -1 | 1) {
    const ids = profiles.profiles.map((p) => p.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    void run(() => call('reorderProfiles', { profileIds: ids }));
  }

  const active = profiles.profiles.find((p) => p.id === profiles.activeId);
  function onDelete() {
    if (!active) return;
    if (!confirm(i18n.t('profiles.deleteConfirm', [profileLabel(active)]))) return;
    void run(() => call('deleteProfile', { profileId: active.id }));
  }

  return (
    <section class="card" aria-labelledby="profiles-title" data-testid="profiles">
      <h2 id="profiles-title">{i18n.t('profiles.title')}</h2>
      <p class="muted">{i18n.t('profiles.intro')}</p>
      <ProfileSwitcher profiles={profiles} onSwitched={onChanged} />
      <ol class="profile-list">
        {profiles.profiles.map((p, i) => (
          <li key={p.id} data-profile-id={p.id} class="row">
            <ProfileSwatch colour={p.colour} />
            <span class="grow">
              {profileLabel(p)}
              {p.id === profiles.activeId ? ` · ${i18n.t('profiles.editing')}` : ''}
              <span class="muted"> · {p.keySaved ? i18n.t('profiles.keySaved') : i18n.t('profiles.noKey')}</span>
            </span>
            <button
              type="button"
              data-action="move-profile-up"
              disabled={busy || i === 0}
              onClick={() => move(i, -1)}
              aria-label={i18n.t('profiles.moveUp', [profileLabel(p)])}
              title={i18n.t('profiles.moveUp', [profileLabel(p)])}
            >
              ↑
            </button>
            <button
              type="button"
              data-action="move-profile-down"
              disabled={busy || i === profiles.profiles.length - 1}
              onClick={() => move(i, 1)}
              aria-label={i18n.t('profiles.moveDown', [profileLabel(p)])}
              title={i18n.t('profiles.moveDown', [profileLabel(p)])}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <form class="row wrap" onSubmit={onAdd} aria-label={i18n.t('profiles.addLabel')}>
        <label for="newProfileName">{i18n.t('profiles.addLabel')}</label>
        <input
          id="newProfileName"
          name="newProfileName"
          type="text"
          maxLength={40}
          value={newName}
          placeholder={i18n.t('profiles.addPlaceholder')}
          onInput={(e) => setNewName(e.currentTarget.value)}
        />
        {/* Not a submit button: the page's first submit button stays the profile form's Save. */}
        <button type="button" data-action="add-profile" disabled={busy || newName.trim() === ''} onClick={onAdd}>
          {i18n.t('profiles.add')}
        </button>
        {profiles.profiles.length > 1 ? (
          <button
            type="button"
            data-action="delete-profile"
            disabled={busy || active?.managed === true}
            data-managed={active?.managed ? 'true' : undefined}
            onClick={onDelete}
          >
            {i18n.t('profiles.delete', [active ? profileLabel(active) : ''])}
          </button>
        ) : null}
      </form>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
