import { z } from 'zod';
import { ChannelId } from '../kakao/ids';
import { defineParsedItem } from './item';

/**
 * Channel names (Kakao's `channel_uuid`, e.g. `@channeldesk`) by public ID, as
 * Kakao told us: the key test lists every linked channel, and relationship
 * answers carry it too. Pages show `@channeldesk · _ZeUTxl` instead of the bare ID.
 * Not secret; the extension's store.
 */
export const ChannelNames = z.record(ChannelId, z.string().min(1).max(100));
export type ChannelNames = z.infer<typeof ChannelNames>;

export const channelNamesItem = defineParsedItem<ChannelNames>('local:channelNames', ChannelNames, {});

/** Stores the names learned from an answer; writes only when something changed. */
export async function learnChannelNames(
  pairs: readonly { publicId: string; uuid: string | undefined }[],
): Promise<void> {
  const current = await channelNamesItem.getValue();
  const next = { ...current };
  for (const { publicId, uuid } of pairs) {
    if (!uuid || !ChannelId.safeParse(publicId).success) continue;
    next[publicId] = uuid.slice(0, 100);
  }
  if (Object.keys(next).some((k) => next[k] !== current[k])) await channelNamesItem.setValue(next);
}
