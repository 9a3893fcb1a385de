import { activeProfileId, profileSettings } from '../../profiles/store';
import { backendIdentity as currentBackend } from '../badges/backend-identity';
import { defaultBadgeChannel, type QuickTarget } from '../badges/lookups';

/**
 * The one answer to "which channels, which key" for quick lookups (right-click, keyboard shortcut, address bar):
 * the active profile's channels and key (its fingerprint names the cache; the profile's client reads the key).
 */
export async function quickLookupTarget(
  backendIdentity: (profileId?: string) => Promise<string> = currentBackend,
): Promise<QuickTarget> {
  const profileId = await activeProfileId();
  const [settings, backend] = await Promise.all([profileSettings(profileId), backendIdentity(profileId)]);
  return { profileId, channelIds: settings.channelIds, selectedChannelId: defaultBadgeChannel(settings), backend };
}
