import { z } from 'zod';
import { createApiLog } from '@/lib/api-log/store';
import { createApiLogFeature } from '@/lib/background/api-log';
import { createDiagnoseFeature } from '@/lib/background/diagnose';
import { startFeatures } from '@/lib/background/feature';
import { createHandlers } from '@/lib/background/handlers';
import { createGrowthFeature } from '@/lib/background/growth';
import { createPinFeature } from '@/lib/background/pin';
import { createPolicyFeature } from '@/lib/background/policy';
import { createBadgesFeature } from '@/lib/background/badges';
import { createQuickFeature } from '@/lib/background/quick';
import { createWorkspaceFeature } from '@/lib/background/workspace';
import { createAudiencesFeature } from '@/lib/background/audiences';
import { createPageIdsFeature } from '@/lib/background/pageids';
import type { JobMeta } from '@/lib/jobs/model';
import { createProfilesFeature } from '@/lib/background/profiles';
import { activeProfileId, listProfiles, profileSettings } from '@/lib/profiles/store';
import { sandboxStatus } from '@/lib/sandbox/state';
import { DEMO_CHANNELS } from '@/lib/sandbox/demo';
import { createBrowserToolbar } from '@/lib/background/toolbar';
import { API_ORIGIN } from '@/lib/kakao/config';
import { apiHostPermission } from '@/lib/kakao/origin';
import { relayHostPermission } from '@/lib/profiles/model';
import { afterRule, installApiHeadersRule } from '@/lib/platform/api-headers-rule';
import { guardedFetchByOrigin } from '@/lib/platform/guarded-fetch';
import { createHostAccess } from '@/lib/platform/host-access';
import { messenger } from '@/lib/messages/messenger';
import { registerHandlers } from '@/lib/messages/router';
import { holdUntil } from '@/lib/storage/kv';
import { migrateStorage } from '@/lib/storage/migrate';

// Wiring only: the logic lives in lib/ factories that tests build with fakes.
export default defineBackground(() => {
  // Chrome: storage.local for trusted contexts only (content scripts could read and write it). Firefox has no
  // access levels; nothing Channel Desk keeps is in storage.local any more (lib/storage/kv.ts says where it is).
  const local = browser.storage.local as unknown as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  void local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch((err: unknown) => console.error(err));
  // Data an older version left in storage.local moves to the extension's own store before anything reads it.
  holdUntil(migrateStorage());
  // No eval-based fast paths in an extension (CSP), and none of zod's probing for them.
  z.config({ jitless: true });
  // Firefox MV3 (and a Chrome user) can withhold the API host: say so instead of failing as "network".
  const apiAccess = createHostAccess(browser.permissions, [apiHostPermission(API_ORIGIN)]);
  // API calls carry no extension Origin or Referer (lib/platform/api-headers-rule.ts says why and how).
  const headersRule = installApiHeadersRule(
    browser.declarativeNetRequest,
    API_ORIGIN,
    new URL(browser.runtime.getURL('/')).host,
  );
  const apiFetch = afterRule(globalThis.fetch.bind(globalThis), headersRule);
  // Every Kakao call, its outcome and answer shape (never the key or user IDs): the API log (API 기록).
  const apiLog = createApiLog();
  const { client, clientForProfile, makeClient, ...coreHandlers } = createHandlers({
    apiOrigin: API_ORIGIN,
    // A relay profile's calls go to its relay, whose origin the manager granted from the options page.
    fetch: guardedFetchByOrigin(apiFetch, { origin: API_ORIGIN, access: apiAccess }, (origin) =>
      createHostAccess(browser.permissions, [relayHostPermission(origin)]),
    ),
    apiLog,
    // The popup paints from the last status (lib/storage/status-cache.ts), never one an input change made untrue.
    cacheStatus: true,
  });
  const deps = { apiOrigin: API_ORIGIN, client, clientForProfile };
  // Toolbar states (normal, sandbox, attention).
  // The badges feature reports the lookup limit (setAttention('limit', …)).
  const toolbar = createBrowserToolbar();
  // Audiences (대상 목록): a finished re-check job becomes the audience's next snapshot.
  let onJobDone: (job: JobMeta) => void = () => undefined;
  const workspaceFeature = createWorkspaceFeature({ ...deps, onJobDone: (job) => onJobDone(job) });
  const audiences = createAudiencesFeature({
    runner: workspaceFeature.runner,
    jobStore: workspaceFeature.store,
    // The audience's own profile (the active one if it was deleted); the demo channels while its sandbox answers.
    async channels(wanted) {
      const state = await listProfiles();
      const profileId = wanted && state.profiles.some((p) => p.id === wanted) ? wanted : state.activeId;
      const sandbox = await sandboxStatus(profileId);
      const channelIds = sandbox.active
        ? DEMO_CHANNELS.map((c) => c.publicId)
        : (await profileSettings(profileId)).channelIds;
      return { profileId, channelIds };
    },
    activeProfile: activeProfileId,
  });
  onJobDone = audiences.onJobDone;
  const features = [
    workspaceFeature,
    createBadgesFeature(deps, {
      toolbarStateLine: () => toolbar.stateLine(),
      onLimitChange: (limited) => void toolbar.setAttention('limit', limited).catch(() => undefined),
    }),
    createGrowthFeature(deps),
    createApiLogFeature({ apiLog }),
    createDiagnoseFeature({ ...deps, makeClient }),
    createPinFeature(),
    createProfilesFeature(),
    // The organisation's policy (storage.managed): parsed here, enforced by each feature's handlers.
    createPolicyFeature(),
  ] as const;
  const [workspace, page, growth, apiLogFeature, diagnose, pin, profiles, policy] = features;
  // Keyboard shortcuts and the address-bar keyword: the badges' quick lookups (cache, per-day budget).
  const quick = createQuickFeature({ quick: page.quick });
  // "Save this page's IDs as an audience" (popup): the badges' own record of a tab's IDs becomes an audience.
  const pageIds = createPageIdsFeature({ idsOf: page.pageIds, createAudience: audiences.createFromIds });

  registerHandlers(
    messenger,
    {
      ...coreHandlers,
      ...workspace.handlers,
      ...page.handlers,
      ...growth.handlers,
      ...apiLogFeature.handlers,
      ...diagnose.handlers,
      ...pin.handlers,
      ...profiles.handlers,
      ...policy.handlers,
      ...audiences.handlers,
      ...pageIds.handlers,
    },
    { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin },
  );
  // Each feature starts on its own: one that throws is logged, and the others still start.
  startFeatures({
    workspace,
    audiences,
    page,
    growth,
    apiLog: apiLogFeature,
    diagnose,
    pin,
    profiles,
    policy,
    toolbar,
    quick,
  });

  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
    if (reason === 'update') holdUntil(migrateStorage());
  });
});
