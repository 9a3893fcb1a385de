import { z } from 'zod';
import { CHANNEL_ID_PATTERN, USER_ID_PATTERN } from './id-format';

export * from './id-format';

export const UserId = z.string().regex(USER_ID_PATTERN, 'invalid_user_id');
export type UserId = z.infer<typeof UserId>;

export const ChannelId = z.string().regex(CHANNEL_ID_PATTERN, 'invalid_channel_id');
export type ChannelId = z.infer<typeof ChannelId>;
