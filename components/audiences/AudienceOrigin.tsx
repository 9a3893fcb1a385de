import { i18n } from '#i18n';
import type { AudienceMeta } from '@/lib/audiences/model';
import type { Status } from '@/lib/messages/protocol';
import { profileLabel, ProfileSwatch } from '../profiles/ProfileSwitcher';

/** A bulk check's job id (lib/jobs/drafts.ts): what an audience made from a check's results keeps as its source. */
const JOB_ID = /^[a-z]+-[a-z0-9]+-[a-z0-9]+$/;

/** Where an audience's IDs came from, in words: pasted, a file, a page (its origin), or a bulk check's results. */
function sourceText(source: string): string | null {
  if (source === '') return null;
  if (source === 'paste') return i18n.t('audienceOrigin.paste');
  if (/^https?:\/\//.test(source)) return i18n.t('audienceOrigin.page', [source]);
  // A picked file keeps its name, extension included; a job id has no dot.
  if (JOB_ID.test(source)) return i18n.t('audienceOrigin.check');
  return i18n.t('audienceOrigin.file', [source]);
}

/** The profile whose key and channels an audience's re-checks use (lib/profiles/store.ts `resolveProfileId`). */
export function audienceProfile(a: AudienceMeta, status: Status) {
  const profiles = status.profiles;
  return (
    profiles?.profiles.find((p) => p.id === a.profileId) ?? profiles?.profiles.find((p) => p.id === profiles.activeId)
  );
}

/**
 * An audience's source and, when there is more than one profile, the profile whose key and channels its re-checks
 * use: its own, or the active one when it has none or that profile was deleted (lib/profiles/store.ts
 * `resolveProfileId`, what the background does).
 */
export function AudienceOrigin({ audience: a, status }: { audience: AudienceMeta; status: Status }) {
  const source = sourceText(a.source);
  const profile = (status.profiles?.profiles.length ?? 0) > 1 ? audienceProfile(a, status) : undefined;
  if (!source && !profile) return null;
  return (
    <span class="muted aud-origin">
      {source ? <span data-audience-source={a.source}>{source}</span> : null}
      {source && profile ? ' · ' : null}
      {profile ? (
        <span data-audience-profile={profile.id}>
          <ProfileSwatch colour={profile.colour} />
          {i18n.t('audienceOrigin.profile', [profileLabel(profile)])}
        </span>
      ) : null}
    </span>
  );
}
