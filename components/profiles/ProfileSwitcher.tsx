import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { ProfilesView } from '@/lib/profiles/model';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';

/** A profile's name as shown: the fresh install's unnamed profile reads "Default profile". */
export const profileLabel = (p: { name: string }) => p.name || i18n.t('profiles.unnamed');

/** The colour swatch of a profile (decorative: the name says which profile it is). */
export function ProfileSwatch({ colour }: { colour: string }) {
  return <span class="profile-swatch" aria-hidden="true" style={{ background: `var(--profile-${colour})` }} />;
}

/**
 * The active profile (name + colour, `data-active-profile`) and the switcher (`<select name="profile">`, one
 * option per profile, carrying its name). Switching tells the background, then `onSwitched` reloads what
 * depends on it.
 */
export function ProfileSwitcher(props: { profiles: ProfilesView; onSwitched: (view: ProfilesView) => void }) {
  const { profiles } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const active = profiles.profiles.find((p) => p.id === profiles.activeId) ?? profiles.profiles[0];
  if (!active) return null;

  async function onChange(profileId: string) {
    if (profileId === profiles.activeId) return;
    setBusy(true);
    setError(null);
    const r = await call('setActiveProfile', { profileId });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    props.onSwitched(r.value);
  }

  return (
    <div class="profile-bar">
      <span class="profile-bar" title={i18n.t('profiles.activeTitle')}>
        <ProfileSwatch colour={active.colour} />
        <span class="profile-name" data-active-profile={active.id} data-profile-colour={active.colour}>
          {profileLabel(active)}
        </span>
      </span>
      <select
        name="profile"
        aria-label={i18n.t('profiles.switchLabel')}
        value={active.id}
        disabled={busy}
        onChange={(e) => void onChange(e.currentTarget.value)}
      >
        {profiles.profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {profileLabel(p)}
          </option>
        ))}
      </select>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
