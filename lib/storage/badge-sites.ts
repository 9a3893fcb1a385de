import { z } from 'zod';
import { UNKNOWN_REASONS, type UnknownReason } from '../kakao/tolerance';
import { ChannelId } from '../kakao/ids';
import { CheckRelation } from '../kakao/schemas';
import { defineParsedItem } from './item';

/** A custom rule: a CSS selector whose text is the ID, with an optional extracting regex. */
export const SiteRuleSchema = z.strictObject({
  selector: z.string().trim().min(1).max(300),
  regex: z.string().max(300).optional(),
});
/** Which channel a site's badges follow: a channel public ID, or `any` (friend if a friend of any channel). */
export const BadgeChannelSchema = z.union([z.literal('any'), ChannelId]);
const SiteSchema = z.strictObject({
  /** A normalised match pattern, e.g. https://admin.example.com/* */
  pattern: z.string().min(1).max(300),
  rules: z.array(SiteRuleSchema).max(20).default([]),
  /** Absent (sites saved before the setting existed, or never chosen): the default channel. */
  badgeChannel: BadgeChannelSchema.optional(),
  /** The profile whose key and channels this site's badges use (the active one when the site was added). */
  profileId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
export type Site = z.infer<typeof SiteSchema>;

/** The sites where badges run. The extension's store (not secret); the background is the only writer. */
export const badgeSitesItem = defineParsedItem<Site[]>('local:pageSites', z.array(SiteSchema).max(100), []);

const CacheEntrySchema = z.object({
  at: z.number(),
  channels: z.array(
    z.object({
      channelId: z.string(),
      name: z.string().optional(),
      relation: CheckRelation,
      updatedAt: z.string().optional(),
      reason: z.enum(UNKNOWN_REASONS as [UnknownReason, ...UnknownReason[]]).optional(),
    }),
  ),
});
const CacheRecordSchema = z.record(z.string(), CacheEntrySchema);
/** A stored relation cache: the shape `lib/badges/relation-cache.ts` keeps (`CacheRecord`). */
export type StoredCacheRecord = z.infer<typeof CacheRecordSchema>;

/** Relation cache: session storage, which content scripts cannot read (trusted contexts only). */
export const badgeRelationCacheItem = defineParsedItem<StoredCacheRecord>(
  'session:pageRelationCache',
  CacheRecordSchema,
  {},
);
