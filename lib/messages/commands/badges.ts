import { z } from 'zod';
import { UserId } from '../../kakao/ids';
import type { SiteRule } from '../../badges/detect';
import type { LookupRelationsResult } from '../../badges/relations';
import { BadgeChannelSchema, SiteRuleSchema, type Site } from '../../storage/badge-sites';
import type { ManagedSite } from '../../policy';
import type { CommandTable } from '../define';
import { defineCommand } from '../define';

export interface PageConfig {
  /** False when the sending tab's origin is not one of the manager's sites. */
  enabled: boolean;
  rules: SiteRule[];
}

/** A profile as a badge site row offers it. */
export interface BadgeSiteProfile {
  id: string;
  name: string;
  colour: string;
  channelIds: string[];
  /** The channel a site of this profile follows without its own choice. */
  defaultBadgeChannel: string | null;
}

export interface BadgeSitesState {
  /** Each with the profile whose key and channels its badges use. */
  sites: (Site & { profileId: string })[];
  /** Absent from answers of before profiles. */
  profiles?: BadgeSiteProfile[];
  activeProfileId?: string;
  /** The organisation's sites (policy), each with whether the browser has granted its host yet. */
  managedSites?: (ManagedSite & { granted: boolean })[];
  cacheTtlMinutes: number;
  /** The configured channels, for each site's badge channel choice. */
  channelIds: string[];
  /** The channel a site without its own choice follows (null: no channel configured). */
  defaultBadgeChannel: string | null;
  /** The page lookup budgets and today's use of the backend answering now (the key, or the sandbox). */
  budgets: {
    tabNewIdsPerMinute: number;
    pageLookupsPerDay: number;
    usedToday: number;
    /** Which budgets the organisation sets (locked in the options). */
    managed?: { tabNewIdsPerMinute: boolean; pageLookupsPerDay: boolean };
  };
}

/** Most IDs one message may carry; the content script sends larger pages in several messages. */
const MAX_IDS_PER_PAGE_MESSAGE = 500;

const SitePatternInput = z.string().trim().min(1).max(300);

/*
 * Badges. The content script gets three narrow commands: its site's rules,
 * relations for a list of IDs (relations and change times only: no key, no raw
 * body, no headers), and the toolbar counts. The background also checks that the
 * sending tab's origin is one of the manager's sites. Managing sites and the
 * cache is for extension pages only.
 */
export const badgeCommands = {
  getPageConfig: defineCommand<PageConfig>()({ allow: ['content'], input: z.strictObject({}) }),
  lookupRelations: defineCommand<LookupRelationsResult>()({
    allow: ['content'],
    input: z.strictObject({ userIds: z.array(UserId).min(1).max(MAX_IDS_PER_PAGE_MESSAGE) }),
  }),
  reportPageCounts: defineCommand<null>()({
    allow: ['content'],
    input: z.strictObject({
      found: z.number().int().min(0).max(1_000_000),
      friends: z.number().int().min(0).max(1_000_000),
    }),
  }),
  listSites: defineCommand<BadgeSitesState>()({ allow: ['extension'], input: z.strictObject({}) }),
  /** Call after `permissions.request` succeeded in the page (the prompt needs the user's click). */
  addSite: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ pattern: SitePatternInput }),
  }),
  removeSite: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ pattern: SitePatternInput }),
  }),
  saveSiteRules: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ pattern: SitePatternInput, rules: z.array(SiteRuleSchema).max(20) }),
  }),
  /** Which channel a site's badges follow: one of the configured channels, or `any`. */
  saveSiteBadgeChannel: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ pattern: SitePatternInput, badgeChannel: BadgeChannelSchema }),
  }),
  /** Which profile's key and channels a site's badges use. */
  saveSiteProfile: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ pattern: SitePatternInput, profileId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  }),
  savePageCacheTtl: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({ cacheTtlMinutes: z.number().int().min(0).max(1440) }),
  }),
  /** The page lookup budgets: new IDs per tab per minute, page lookups per key per day. */
  saveLookupBudgets: defineCommand<BadgeSitesState>()({
    allow: ['extension'],
    input: z.strictObject({
      tabNewIdsPerMinute: z.number().int().min(1).max(100_000),
      pageLookupsPerDay: z.number().int().min(1).max(10_000_000),
    }),
  }),
  /** Forgets every cached relation. With `recheck`, open pages with badges look their IDs up again. */
  clearPageCache: defineCommand<null>()({ allow: ['extension'], input: z.strictObject({ recheck: z.boolean() }) }),
} satisfies CommandTable;
