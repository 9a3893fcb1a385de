import { z } from 'zod';
import { publicSuffixOf } from '../badges/public-suffix';
import { SITE_EXPLANATIONS } from '../badges/site-errors';
import { parseSitePattern } from '../badges/sites';
import type { Explanation } from '../kakao/explain';
import { ChannelId } from '../kakao/ids';
import { RelayUrl } from '../profiles/model';
import { SiteRuleSchema } from '../storage/badge-sites';
import type { ManagedPolicy, PolicyNote, PolicyProfile, PolicySite, PolicyState } from './types';

/*
 * The organisation's policy, parsed part by part: a part that does not fit is left out with a
 * ko/en note saying where and why, and the rest still applies (one bad profile costs that
 * profile, one bad site that site, one bad budget that budget). A key never comes from a
 * policy: any key-like field (`adminKey`, `key`, …) or 32-hex value is dropped before anything
 * else reads the policy, with a note that names where it was, never what it was.
 */

/** Field names that hold a key. Compared without case, `_` or `-`. */
const KEY_FIELDS = new Set(['adminkey', 'key', 'apikey', 'restapikey', 'secret', 'secretkey', 'token']);
const HEX32 = /^[0-9a-f]{32}$/i;
const MAX_PROFILES = 20;
/** The same ceiling as the manager's own sites (lib/storage/badge-sites.ts). */
const MAX_SITES = 100;

const TAB_MAX = 100_000;
const DAY_MAX = 10_000_000;

const ProfileName = z.string().trim().min(1).max(60);
const ChannelIdList = z.array(ChannelId).min(1).max(50);
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const Rules = z.array(SiteRuleSchema).max(20);
const TabBudget = z.number().int().min(1).max(TAB_MAX);
const DayBudget = z.number().int().min(1).max(DAY_MAX);

type Consequence = 'value' | 'profile' | 'site';
const CONSEQUENCE: Record<Consequence, Explanation> = {
  value: { ko: '이 값은 적용하지 않았습니다.', en: 'This value was not applied.' },
  profile: { ko: '이 프로필은 적용하지 않았습니다.', en: 'This profile was not applied.' },
  site: { ko: '이 사이트는 적용하지 않았습니다.', en: 'This site was not applied.' },
};

const REASONS = {
  notObject: { ko: '이름과 값의 묶음(객체)이어야 합니다', en: 'must be an object of named values' },
  notList: { ko: '목록(배열)이어야 합니다', en: 'must be a list' },
  notBoolean: { ko: 'true 또는 false여야 합니다', en: 'must be true or false' },
  tabBudget: {
    ko: `1 이상 ${TAB_MAX.toLocaleString('ko-KR')} 이하의 정수여야 합니다`,
    en: `must be a whole number from 1 to ${TAB_MAX.toLocaleString('en-US')}`,
  },
  dayBudget: {
    ko: `1 이상 ${DAY_MAX.toLocaleString('ko-KR')} 이하의 정수여야 합니다`,
    en: `must be a whole number from 1 to ${DAY_MAX.toLocaleString('en-US')}`,
  },
  name: { ko: '1~60자의 이름이어야 합니다', en: 'must be a name of 1 to 60 characters' },
  duplicateName: { ko: '앞의 프로필과 이름이 같습니다', en: 'has the same name as an earlier profile' },
  channelIds: {
    ko: '채널 프로필 ID(예: _ZeUTxl) 1~50개의 목록이어야 합니다',
    en: 'must be a list of 1 to 50 channel public IDs (like _ZeUTxl)',
  },
  colour: { ko: '#rrggbb 형식의 색(예: #1e88e5)이어야 합니다', en: 'must be a colour written #rrggbb (like #1e88e5)' },
  relayUrl: {
    ko: '계정 정보, ?, # 없이 https://로 시작하는 릴레이 주소여야 합니다',
    en: 'must be an https:// relay address without credentials, ? or #',
  },
  rules: {
    ko: '규칙 목록(최대 20개)이어야 하고, 각 규칙은 selector(CSS 선택자)와 선택적인 regex(올바른 정규식)입니다',
    en: 'must be a list of at most 20 rules, each a selector (CSS) with an optional regex (a valid regular expression)',
  },
  badgeChannel: {
    ko: '이 프로필의 채널 중 하나이거나 any여야 합니다',
    en: "must be one of this profile's channels, or any",
  },
  duplicateSite: { ko: '앞의 프로필에 같은 사이트가 있습니다', en: 'an earlier profile already has this site' },
  tooManyProfiles: { ko: `프로필은 ${MAX_PROFILES}개까지입니다`, en: `at most ${MAX_PROFILES} profiles are read` },
  tooManySites: { ko: `사이트는 모두 합쳐 ${MAX_SITES}개까지입니다`, en: `at most ${MAX_SITES} sites in all are read` },
} satisfies Record<string, Explanation>;

function invalid(path: string, reason: Explanation, consequence: Consequence = 'value'): PolicyNote {
  return {
    kind: 'invalid',
    path,
    explanation: {
      ko: `${path}: ${reason.ko}. ${CONSEQUENCE[consequence].ko}`,
      en: `${path}: ${reason.en}. ${CONSEQUENCE[consequence].en}`,
    },
  };
}

function unknownField(path: string): PolicyNote {
  return {
    kind: 'unknown',
    path,
    explanation: {
      ko: `${path}: 이 버전이 모르는 항목이라 무시했습니다.`,
      en: `${path}: not a field this version knows; ignored.`,
    },
  };
}

function keyDropped(path: string): PolicyNote {
  return {
    kind: 'key',
    path,
    explanation: {
      ko: `${path}: 정책에 든 키는 사용하지도 저장하지도 않습니다. Admin 키는 각자 이 옵션 페이지에서 입력합니다.`,
      en: `${path}: a key in a policy is never used or stored. Each person enters the Admin key on this options page.`,
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (path: string, field: string) => (path === '' ? field : `${path}.${field}`);

/** A copy of the policy without anything key-like; each dropped place gets a note. */
function withoutKeys(value: unknown, path: string, notes: PolicyNote[]): unknown {
  if (typeof value === 'string') return HEX32.test(value.trim()) ? undefined : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((element, i) => {
      const kept = withoutKeys(element, `${path}[${i}]`, notes);
      if (kept === undefined && element !== undefined) notes.push(keyDropped(`${path}[${i}]`));
      else out.push(kept);
    });
    return out;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [field, element] of Object.entries(value)) {
    const at = join(path, field);
    if (KEY_FIELDS.has(field.toLowerCase().replace(/[_-]/g, ''))) {
      notes.push(keyDropped(at));
      continue;
    }
    const kept = withoutKeys(element, at, notes);
    if (kept === undefined && element !== undefined) notes.push(keyDropped(at));
    else out[field] = kept;
  }
  return out;
}

function validRegex(source: string | undefined): boolean {
  if (source === undefined) return true;
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function parseSite(raw: unknown, path: string, channelIds: string[], notes: PolicyNote[]): PolicySite | null {
  if (!isRecord(raw)) {
    notes.push(invalid(path, REASONS.notObject, 'site'));
    return null;
  }
  const parsed = typeof raw.pattern === 'string' ? parseSitePattern(raw.pattern, publicSuffixOf) : null;
  if (parsed === null || !parsed.ok) {
    const kind = parsed === null ? 'pattern_empty' : (`pattern_${parsed.error}` as const);
    const why = SITE_EXPLANATIONS[kind];
    notes.push(
      invalid(join(path, 'pattern'), { ko: why.ko.replace(/\.$/, ''), en: why.en.replace(/\.$/, '') }, 'site'),
    );
    return null;
  }
  const site: PolicySite = { pattern: parsed.pattern, rules: [] };
  for (const field of Object.keys(raw)) {
    if (!['pattern', 'rules', 'badgeChannel'].includes(field)) notes.push(unknownField(join(path, field)));
  }
  if (raw.rules !== undefined) {
    const rules = Rules.safeParse(raw.rules);
    if (!rules.success || !rules.data.every((r) => validRegex(r.regex))) {
      notes.push(invalid(join(path, 'rules'), REASONS.rules, 'site'));
      return null;
    }
    site.rules = rules.data;
  }
  if (raw.badgeChannel !== undefined) {
    if (
      raw.badgeChannel !== 'any' &&
      !(typeof raw.badgeChannel === 'string' && channelIds.includes(raw.badgeChannel))
    ) {
      notes.push(invalid(join(path, 'badgeChannel'), REASONS.badgeChannel, 'site'));
      return null;
    }
    site.badgeChannel = raw.badgeChannel;
  }
  return site;
}

function parseProfile(
  raw: unknown,
  path: string,
  seen: { names: Set<string>; patterns: Set<string> },
  notes: PolicyNote[],
): PolicyProfile | null {
  if (!isRecord(raw)) {
    notes.push(invalid(path, REASONS.notObject, 'profile'));
    return null;
  }
  const name = ProfileName.safeParse(raw.name);
  if (!name.success) {
    notes.push(invalid(join(path, 'name'), REASONS.name, 'profile'));
    return null;
  }
  if (seen.names.has(name.data.toLowerCase())) {
    notes.push(invalid(join(path, 'name'), REASONS.duplicateName, 'profile'));
    return null;
  }
  const channelIds = ChannelIdList.safeParse(raw.channelIds);
  if (!channelIds.success) {
    notes.push(invalid(join(path, 'channelIds'), REASONS.channelIds, 'profile'));
    return null;
  }
  const colour = raw.colour === undefined ? undefined : Colour.safeParse(raw.colour);
  if (colour && !colour.success) {
    notes.push(invalid(join(path, 'colour'), REASONS.colour, 'profile'));
    return null;
  }
  const relayUrl = raw.relayUrl === undefined ? undefined : RelayUrl.safeParse(raw.relayUrl);
  if (relayUrl && !relayUrl.success) {
    notes.push(invalid(join(path, 'relayUrl'), REASONS.relayUrl, 'profile'));
    return null;
  }
  for (const field of Object.keys(raw)) {
    if (!['name', 'channelIds', 'colour', 'relayUrl', 'sites'].includes(field))
      notes.push(unknownField(join(path, field)));
  }
  const profile: PolicyProfile = {
    name: name.data,
    channelIds: [...new Set(channelIds.data)],
    ...(colour ? { colour: colour.data.toLowerCase() } : {}),
    ...(relayUrl ? { relayUrl: relayUrl.data } : {}),
    sites: [],
  };
  seen.names.add(name.data.toLowerCase());
  if (raw.sites === undefined) return profile;
  if (!Array.isArray(raw.sites)) {
    notes.push(invalid(join(path, 'sites'), REASONS.notList));
    return profile;
  }
  raw.sites.forEach((element, i) => {
    const at = `${path}.sites[${i}]`;
    const site = parseSite(element, at, profile.channelIds, notes);
    if (site === null) return;
    if (seen.patterns.has(site.pattern)) return notes.push(invalid(at, REASONS.duplicateSite, 'site'));
    if (seen.patterns.size >= MAX_SITES) return notes.push(invalid(at, REASONS.tooManySites, 'site'));
    seen.patterns.add(site.pattern);
    profile.sites.push(site);
  });
  return profile;
}

function parseBoolean(raw: unknown, path: string, notes: PolicyNote[]): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  notes.push(invalid(path, REASONS.notBoolean));
  return undefined;
}

/**
 * Parses what `storage.managed` holds. Empty (or not an object): no policy. Otherwise the policy
 * with every valid part, and a note for each part left out.
 */
export function parsePolicy(raw: unknown): PolicyState {
  if (!isRecord(raw) || Object.keys(raw).length === 0) return { policy: null, notes: [] };
  const notes: PolicyNote[] = [];
  const clean = withoutKeys(raw, '', notes) as Record<string, unknown>;
  const policy: ManagedPolicy = { profiles: [], lookupBudgets: {} };
  for (const [field, value] of Object.entries(clean)) {
    if (field === 'profiles') {
      if (!Array.isArray(value)) {
        notes.push(invalid(field, REASONS.notList));
        continue;
      }
      const seen = { names: new Set<string>(), patterns: new Set<string>() };
      value.forEach((element, i) => {
        const at = `profiles[${i}]`;
        if (i >= MAX_PROFILES) return notes.push(invalid(at, REASONS.tooManyProfiles, 'profile'));
        const profile = parseProfile(element, at, seen, notes);
        if (profile) policy.profiles.push(profile);
      });
    } else if (field === 'lookupBudgets') {
      if (!isRecord(value)) {
        notes.push(invalid(field, REASONS.notObject));
        continue;
      }
      for (const [name, budget] of Object.entries(value)) {
        const at = join(field, name);
        if (name === 'tabNewIdsPerMinute') {
          const n = TabBudget.safeParse(budget);
          if (n.success) policy.lookupBudgets.tabNewIdsPerMinute = n.data;
          else notes.push(invalid(at, REASONS.tabBudget));
        } else if (name === 'pageLookupsPerDay') {
          const n = DayBudget.safeParse(budget);
          if (n.success) policy.lookupBudgets.pageLookupsPerDay = n.data;
          else notes.push(invalid(at, REASONS.dayBudget));
        } else notes.push(unknownField(at));
      }
    } else if (field === 'sandboxAllowed') {
      const allowed = parseBoolean(value, field, notes);
      if (allowed !== undefined) policy.sandboxAllowed = allowed;
    } else if (field === 'webhookTester') {
      const on = parseBoolean(value, field, notes);
      if (on !== undefined) policy.webhookTester = on;
    } else notes.push(unknownField(field));
  }
  return { policy, notes };
}
