import { settingsItem } from '../../storage/settings';
import { backendIdentity as currentBackend } from '../badges/backend-identity';
import { defaultBadgeChannel, type QuickTarget } from '../badges/lookups';

/**
 * The one answer to "which channels, which key" for quick lookups (right-click, keyboard shortcut, address bar):
 * today the saved channels and the one key (its fingerprint names the cache; the client reads the key itself).
 * When profiles arrive, this is where the active profile's channels and key are picked.
 */
export async function quickLookupTarget(backendIdentity: () => Promise<string> = currentBackend): Promise<QuickTarget> {
  const [settings, backend] = await Promise.all([settingsItem.getValue(), backendIdentity()]);
  return { channelIds: settings.channelIds, selectedChannelId: defaultBadgeChannel(settings), backend };
}
