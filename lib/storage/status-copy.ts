import type { Status } from '../messages/commands/core';
import { defineParsedItem } from './item';

/*
 * The background's side of the popup's status copy (lib/storage/status-cache.ts, same key): the background
 * writes the status it has just computed from parsed values, so the write is not parsed again, and the background
 * does not carry a second zod build (zod/mini, ~7 KB) for it. Every read of the copy (the popup) parses it.
 */
const written = {
  parse: (value: unknown) => value as Status,
  safeParse: (value: unknown) => ({ success: true as const, data: value as Status }),
};
const statusCopyItem = defineParsedItem<Status | null>('session:statusCache', written, null);

export const writeStatusCopy = (status: Status): Promise<void> => statusCopyItem.setValue(status);
