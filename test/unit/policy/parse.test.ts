import { describe, expect, it } from 'vitest';
import { managedProfileId, managedProfiles, managedSites, withPolicyBudgets } from '../../../lib/policy';
import { readPolicy } from '../../../lib/policy/current';
import { parsePolicy } from '../../../lib/policy/parse';

const KEY = '0123456789abcdef0123456789ABCDEF';

const VALID = {
  profiles: [
    {
      name: 'Seoul store',
      channelIds: ['_ZeUTxl', '_frxjem'],
      colour: '#1E88E5',
      sites: [
        { pattern: 'https://admin.example.com/*', rules: [{ selector: '.uid', regex: '(\\d+)' }] },
        { pattern: 'admin2.example.com', badgeChannel: '_frxjem' },
      ],
    },
    { name: '부산 지점', channelIds: ['_abcDEF'] },
  ],
  lookupBudgets: { tabNewIdsPerMinute: 100, pageLookupsPerDay: 2000 },
  sandboxAllowed: false,
  webhookTester: false,
};

describe('policy parsing', () => {
  it('reads a complete valid policy with no notes', () => {
    const { policy, notes } = parsePolicy(VALID);
    expect(notes).toEqual([]);
    expect(policy).toEqual({
      profiles: [
        {
          name: 'Seoul store',
          channelIds: ['_ZeUTxl', '_frxjem'],
          colour: '#1e88e5',
          sites: [
            { pattern: 'https://admin.example.com/*', rules: [{ selector: '.uid', regex: '(\\d+)' }] },
            { pattern: 'https://admin2.example.com/*', rules: [], badgeChannel: '_frxjem' },
          ],
        },
        { name: '부산 지점', channelIds: ['_abcDEF'], sites: [] },
      ],
      lookupBudgets: { tabNewIdsPerMinute: 100, pageLookupsPerDay: 2000 },
      sandboxAllowed: false,
      webhookTester: false,
    });
  });

  it('no managed storage, an empty one or a non-object: no policy', async () => {
    expect(parsePolicy({})).toEqual({ policy: null, notes: [] });
    expect(parsePolicy(null)).toEqual({ policy: null, notes: [] });
    expect(parsePolicy('x')).toEqual({ policy: null, notes: [] });
    expect(await readPolicy(undefined)).toEqual({ policy: null, notes: [] });
    // Firefox rejects the read when no policy names the add-on.
    const rejecting = { get: () => Promise.reject(new Error('Managed storage manifest not found')) };
    expect(await readPolicy(rejecting)).toEqual({ policy: null, notes: [] });
    expect((await readPolicy({ get: async () => VALID })).policy?.profiles).toHaveLength(2);
  });

  it('one bad profile costs that profile only, with a ko/en explanation naming where and why', () => {
    const { policy, notes } = parsePolicy({
      ...VALID,
      profiles: [
        { name: 'Bad channels', channelIds: ['not a channel'] },
        VALID.profiles[0],
        'just a string',
        { name: 'Bad colour', channelIds: ['_ZeUTxl'], colour: 'blue' },
        { name: 'seoul STORE', channelIds: ['_ZeUTxl'] },
      ],
    });
    expect(policy?.profiles.map((p) => p.name)).toEqual(['Seoul store']);
    expect(policy?.sandboxAllowed).toBe(false); // the rest of the policy still applies
    expect(notes.map((n) => [n.kind, n.path])).toEqual([
      ['invalid', 'profiles[0].channelIds'],
      ['invalid', 'profiles[2]'],
      ['invalid', 'profiles[3].colour'],
      ['invalid', 'profiles[4].name'],
    ]);
    expect(notes[0]!.explanation.en).toBe(
      'profiles[0].channelIds: must be a list of 1 to 50 channel public IDs (like _ZeUTxl). ' +
        'This profile was not applied.',
    );
    expect(notes[0]!.explanation.ko).toContain('이 프로필은 적용하지 않았습니다');
    expect(notes[3]!.explanation.en).toContain('same name as an earlier profile');
  });

  it('one bad site costs that site; bad budgets and switches are left out one by one', () => {
    const { policy, notes } = parsePolicy({
      profiles: [
        {
          name: 'Shop',
          channelIds: ['_ZeUTxl'],
          sites: [
            { pattern: 'https://*.co.kr/*' },
            { pattern: 'https://ok.example.com/*', rules: [{ selector: '.id', regex: '(' }] },
            { pattern: 'https://chan.example.com/*', badgeChannel: '_other1' },
            { pattern: 'https://good.example.com/*' },
          ],
        },
      ],
      lookupBudgets: { tabNewIdsPerMinute: 0, pageLookupsPerDay: 500 },
      sandboxAllowed: 'no',
      webhookTester: true,
    });
    expect(policy?.profiles[0]!.sites.map((s) => s.pattern)).toEqual(['https://good.example.com/*']);
    expect(policy?.lookupBudgets).toEqual({ pageLookupsPerDay: 500 });
    expect(policy?.sandboxAllowed).toBeUndefined();
    expect(policy?.webhookTester).toBe(true);
    expect(notes.map((n) => n.path)).toEqual([
      'profiles[0].sites[0].pattern',
      'profiles[0].sites[1].rules',
      'profiles[0].sites[2].badgeChannel',
      'lookupBudgets.tabNewIdsPerMinute',
      'sandboxAllowed',
    ]);
    expect(notes[0]!.explanation.en).toMatch(/co\.kr|shared/);
    expect(notes[3]!.explanation.en).toBe(
      'lookupBudgets.tabNewIdsPerMinute: must be a whole number from 1 to 100,000. This value was not applied.',
    );
  });

  it('unknown fields are ignored with a note, and what is known still applies', () => {
    const { policy, notes } = parsePolicy({
      futureSetting: 1,
      profiles: [{ name: 'A', channelIds: ['_ZeUTxl'], icon: 'star' }],
      lookupBudgets: { perHour: 5 },
    });
    expect(policy?.profiles).toHaveLength(1);
    expect(notes.map((n) => [n.kind, n.path])).toEqual([
      ['unknown', 'futureSetting'],
      ['unknown', 'profiles[0].icon'],
      ['unknown', 'lookupBudgets.perHour'],
    ]);
    expect(notes[0]!.explanation.ko).toContain('무시했습니다');
  });

  it('drops any key: key-named fields anywhere and 32-hex values, naming where but never the value', () => {
    const { policy, notes } = parsePolicy({
      adminKey: KEY,
      profiles: [
        { name: 'A', channelIds: ['_ZeUTxl'], adminKey: 'whatever-it-is', restApiKey: 'x' },
        { name: 'B', channelIds: ['_ZeUTxl'], colour: KEY },
        { name: KEY, channelIds: ['_ZeUTxl'] },
      ],
      key: 'short',
      webhookTester: true,
    });
    expect(notes.filter((n) => n.kind === 'key').map((n) => n.path)).toEqual([
      'adminKey',
      'profiles[0].adminKey',
      'profiles[0].restApiKey',
      'profiles[1].colour',
      'profiles[2].name',
      'key',
    ]);
    // The profile whose colour was a key keeps nothing of it; the one named with a key has no name and is left out.
    expect(policy?.profiles.map((p) => [p.name, p.colour])).toEqual([
      ['A', undefined],
      ['B', undefined],
    ]);
    expect(policy?.webhookTester).toBe(true);
    const everything = JSON.stringify({ policy, notes });
    expect(everything).not.toContain(KEY);
    expect(everything.toLowerCase()).not.toContain(KEY.toLowerCase());
    expect(everything).not.toContain('whatever-it-is');
    expect(notes[0]!.explanation.en).toContain('never used or stored');
  });

  it('a policy holding only a key is still a policy (so the warning shows), with nothing applied', () => {
    const { policy, notes } = parsePolicy({ adminKey: KEY });
    expect(policy).toEqual({ profiles: [], lookupBudgets: {} });
    expect(notes.map((n) => n.kind)).toEqual(['key']);
  });
});

describe('managed profiles for the profile store', () => {
  it('gives each profile a stable org- id derived from its name', () => {
    const profiles = managedProfiles(parsePolicy(VALID).policy);
    expect(profiles.map((p) => p.id)).toEqual([managedProfileId('Seoul store'), managedProfileId('부산 지점')]);
    for (const p of profiles) expect(p.id).toMatch(/^org-[A-Za-z0-9_-]{1,60}$/);
    expect(profiles[0]!.id).toMatch(/^org-seoul-store-[0-9a-f]{8}$/);
    expect(profiles[1]!.id).toMatch(/^org-[0-9a-f]{8}$/);
    expect(managedProfileId('부산 지점')).not.toBe(managedProfileId('대구 지점'));
    expect(managedProfileId('x'.repeat(60))).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(profiles[0]).toMatchObject({ name: 'Seoul store', channelIds: ['_ZeUTxl', '_frxjem'], colour: '#1e88e5' });
    expect(managedProfiles(null)).toEqual([]);
  });

  it('lists managed sites with their profile, and puts managed budgets over the user’s', () => {
    const { policy } = parsePolicy(VALID);
    expect(managedSites(policy).map((s) => [s.pattern, s.profileName])).toEqual([
      ['https://admin.example.com/*', 'Seoul store'],
      ['https://admin2.example.com/*', 'Seoul store'],
    ]);
    const user = { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100_000, cacheTtlMinutes: 10 };
    expect(withPolicyBudgets(user, policy)).toEqual({
      tabNewIdsPerMinute: 100,
      pageLookupsPerDay: 2000,
      cacheTtlMinutes: 10,
    });
    expect(withPolicyBudgets(user, parsePolicy({ lookupBudgets: { pageLookupsPerDay: 7 } }).policy)).toEqual({
      ...user,
      pageLookupsPerDay: 7,
    });
  });
});
