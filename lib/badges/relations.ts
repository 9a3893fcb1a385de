import type { CheckRelation } from '../kakao/terms';
import type { UnknownReason } from '../kakao/tolerance';
import type { LookupLimit } from './lookup-budget';

/** What a badge knows about one user: the relation per channel, never a raw API body. */
export type PageRelation = CheckRelation;
export type BadgeRelation = PageRelation | 'ERROR';

export interface ChannelRelationView {
  channelId: string;
  /** The channel's search ID (e.g. @myshop) when Kakao sent one. */
  name?: string;
  relation: PageRelation;
  /** When the relation last changed (RFC 3339); Kakao leaves it out for NONE. */
  updatedAt?: string;
  /** Why the relation is UNKNOWN, when known (e.g. Kakao answered this user without channels). */
  reason?: UnknownReason;
}

/** A short, user-facing error: the code and the explanation in both languages. */
export interface PageLookupError {
  code: string | number;
  message: { ko: string; en: string };
}

export type UserOutcome = { channels: ChannelRelationView[] } | { error: PageLookupError };
/** What a page's badge gets: an outcome, or "not looked up: a lookup budget was reached" (lookup-budget.ts). */
export type PageOutcome = UserOutcome | { limit: LookupLimit };

export interface LookupRelationsResult {
  /** The channel badges show; null when no channel is configured or answered. */
  selectedChannelId: string | null;
  users: Record<string, PageOutcome>;
}
