import { z } from 'zod';
import { ChannelId } from '../../kakao/ids';
import type { ConnectionReport } from '../../kakao/diagnose';
import { defineCommand, type CommandTable } from '../define';

/**
 * The connection check (연결 진단). Extension pages only: it may carry a typed key
 * (the options page checks what is in the field before it is saved; never stored by this).
 */
export const diagnoseCommands = {
  runConnectionCheck: defineCommand<ConnectionReport>()({
    allow: ['extension'],
    input: z.strictObject({
      /** A key typed in the options field; omitted: the saved key (or the sandbox). */
      adminKey: z.string().trim().min(1).max(200).optional(),
      /** A relay profile's token typed in the options field; omitted: the saved one. */
      relayToken: z.string().trim().min(16).max(512).optional(),
      /** The channels to check (the options field's); omitted: the saved ones. */
      channelIds: z.array(ChannelId).max(50).optional(),
    }),
  }),
} satisfies CommandTable;
