import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { BadgeSiteProfile, BadgeSitesState } from '@/lib/messages/commands/badges';
import { profileLabel, ProfileSwatch } from '../profiles/ProfileSwitcher';
import { checkRule, type SiteRule } from '@/lib/badges/detect';
import { parseSitePattern, type ParsedSitePattern, type PublicSuffixOf } from '@/lib/badges/sites';
import type { Site } from '@/lib/storage/badge-sites';
import { call } from '../api';
import { useCommand } from '../useCommand';
import { ManagedSites } from '../policy/ManagedSites';
import { ErrorNotice } from '../ErrorNotice';
import { BudgetControls } from './BudgetControls';
import { createHostAccess } from '@/lib/platform/host-access';

function patternErrorText(parsed: ParsedSitePattern & { ok: false }): string {
  switch (parsed.error) {
    case 'empty':
      return i18n.t('page.patternEmpty');
    case 'scheme':
      return i18n.t('page.patternScheme');
    case 'host':
      return i18n.t('page.patternHost');
    case 'path':
      return i18n.t('page.patternPath');
    case 'insecure':
      return i18n.t('budgets.patternInsecure');
    case 'suffix':
      return i18n.t('budgets.patternSharedDomain', [parsed.domain]);
  }
}

/** The Public Suffix List check (tldts, ~50 KB): loaded after first paint, awaited only if still loading. */
const loadPublicSuffix = (): Promise<PublicSuffixOf> =>
  import('@/lib/badges/public-suffix').then((m) => m.publicSuffixOf);

function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/**
 * Options: the sites where badges run. Adding one asks the browser for that host
 * from this click (permissions.request must run in a user gesture, so it runs
 * here, not in the background), then the background stores the site and
 * registers the content script.
 */
export function SitesSection() {
  const sites = useCommand('listSites', {});
  const state = sites.value;
  const setState = sites.setValue;
  const [pattern, setPattern] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setError] = useState<KakaoErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  // The list's load error shows until an action reports its own or the list arrives.
  const error = actionError ?? (state ? null : sites.error);
  const publicSuffix = useRef<PublicSuffixOf | Promise<PublicSuffixOf> | null>(null);
  useEffect(() => {
    const loading = loadPublicSuffix();
    publicSuffix.current = loading;
    void loading.then((fn) => (publicSuffix.current = fn)).catch(() => (publicSuffix.current = null));
  }, []);

  async function onAdd(event: Event) {
    event.preventDefault();
    setNotice(null);
    setError(null);
    // Loaded at mount; awaited only in the rare case it is not there yet (the background checks again anyway).
    const suffixOf = await Promise.resolve(publicSuffix.current ?? loadPublicSuffix()).catch(() => undefined);
    const parsed = parseSitePattern(pattern, suffixOf);
    if (!parsed.ok) return setFieldError(patternErrorText(parsed));
    setFieldError(null);
    setBusy(true);
    // First thing in the click handler, so the browser sees the user's gesture.
    const granted = await browser.permissions.request({ origins: [parsed.origin] }).catch(() => false);
    if (!granted) {
      setBusy(false);
      return setFieldError(i18n.t('page.permissionDenied', [parsed.pattern]));
    }
    const r = await call('addSite', { pattern: parsed.pattern });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setState(r.value);
    setPattern('');
    setNotice(i18n.t('page.siteAdded', [parsed.pattern]));
  }

  async function onRemove(site: Site) {
    const r = await call('removeSite', { pattern: site.pattern });
    if (r.ok) setState(r.value);
    else setError(r.error);
  }

  return (
    <section class="card" aria-labelledby="sites-title" data-section="sites">
      <h2 id="sites-title">{i18n.t('page.sitesTitle')}</h2>
      <p class="muted">{i18n.t('page.sitesIntro')}</p>
      <form onSubmit={onAdd} aria-label={i18n.t('page.addSite')}>
        <label for="sitePattern">{i18n.t('page.sitePatternLabel')}</label>
        <div class="row">
          <input
            id="sitePattern"
            name="sitePattern"
            class="grow"
            type="text"
            spellcheck={false}
            autoComplete="off"
            placeholder={i18n.t('page.sitePatternPlaceholder')}
            value={pattern}
            onInput={(e) => setPattern(e.currentTarget.value)}
            aria-invalid={fieldError ? 'true' : 'false'}
            aria-describedby="sitePatternHelp sitePatternError"
          />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? i18n.t('page.adding') : i18n.t('page.addSite')}
          </button>
        </div>
        <p id="sitePatternHelp" class="muted">
          {i18n.t('page.sitePatternHelp')}
        </p>
        {fieldError ? (
          <p id="sitePatternError" class="field-error" role="alert">
            {fieldError}
          </p>
        ) : null}
      </form>
      <div aria-live="polite">
        {notice ? (
          <p class="success" data-testid="site-added">
            ✓ {notice}
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </div>

      {state ? <ManagedSites state={state} onSaved={setState} /> : null}
      {state && state.sites.length === 0 ? (
        <p class="muted" data-testid="sites-empty">
          {i18n.t('page.sitesEmpty')}
        </p>
      ) : null}
      {state?.sites.map((site) => {
        // The site's badges use its bound profile's channels.
        const profile = state.profiles?.find((p) => p.id === site.profileId);
        return (
          <SiteCard
            key={site.pattern}
            site={site}
            profiles={state.profiles ?? []}
            channelIds={profile?.channelIds ?? state.channelIds}
            defaultBadgeChannel={profile ? profile.defaultBadgeChannel : state.defaultBadgeChannel}
            onRemove={() => void onRemove(site)}
            onSaved={setState}
          />
        );
      })}
      <p class="muted">{i18n.t('page.defaultRule')}</p>
      {state ? <CacheControls ttl={state.cacheTtlMinutes} onSaved={setState} /> : null}
      {state ? <BudgetControls state={state} onSaved={setState} /> : null}
    </section>
  );
}

interface SiteCardProps {
  site: Site & { profileId: string };
  profiles: BadgeSiteProfile[];
  channelIds: string[];
  defaultBadgeChannel: string | null;
  onRemove: () => void;
  onSaved: (s: BadgeSitesState) => void;
}

function SiteCard({ site, profiles, channelIds, defaultBadgeChannel, onRemove, onSaved }: SiteCardProps) {
  const [rules, setRules] = useState<SiteRule[]>(site.rules);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [saveError, setSaveError] = useState<KakaoErrorInfo | null>(null);

  function update(index: number, patch: Partial<SiteRule>) {
    setSaved(false);
    setRules(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  }

  async function save() {
    const cleaned = rules
      .map((r) => ({ selector: r.selector.trim(), ...(r.regex?.trim() ? { regex: r.regex.trim() } : {}) }))
      .filter((r) => r.selector !== '' || r.regex);
    const found: string[] = [];
    for (const rule of cleaned) {
      const problem = checkRule(rule, isValidSelector);
      if (problem === 'selector') found.push(i18n.t('page.ruleSelectorError', [rule.selector || '""']));
      if (problem === 'regex') found.push(i18n.t('page.ruleRegexError', [rule.regex ?? '']));
    }
    setProblems(found);
    setSaveError(null);
    if (found.length > 0) return;
    const r = await call('saveSiteRules', { pattern: site.pattern, rules: cleaned });
    if (!r.ok) return setSaveError(r.error);
    onSaved(r.value);
    setRules(cleaned);
    setSaved(true);
  }

  return (
    <article class="card" data-site={site.pattern}>
      <div class="row between">
        <strong class="break-all">{site.pattern}</strong>
        <button
          type="button"
          onClick={onRemove}
          aria-label={i18n.t('page.removeSiteLabel', [site.pattern])}
          data-action="remove-site"
        >
          {i18n.t('page.removeSite')}
        </button>
      </div>
      <SiteAccess pattern={site.pattern} />
      {profiles.length > 0 ? <SiteProfileChoice site={site} profiles={profiles} onSaved={onSaved} /> : null}
      <BadgeChannelChoice
        site={site}
        channelIds={channelIds}
        defaultBadgeChannel={defaultBadgeChannel}
        onSaved={onSaved}
      />
      <h3 class="subhead">{i18n.t('page.rulesTitle')}</h3>
      <p class="muted">{i18n.t('page.rulesHelp')}</p>
      {rules.map((rule, i) => (
        <div class="row mt6" key={i}>
          <input
            type="text"
            class="grow"
            name="ruleSelector"
            aria-label={i18n.t('page.ruleSelector')}
            placeholder={i18n.t('page.ruleSelector')}
            spellcheck={false}
            value={rule.selector}
            onInput={(e) => update(i, { selector: e.currentTarget.value })}
          />
          <input
            type="text"
            class="grow"
            name="ruleRegex"
            aria-label={i18n.t('page.ruleRegex')}
            placeholder={i18n.t('page.ruleRegex')}
            spellcheck={false}
            value={rule.regex ?? ''}
            onInput={(e) => update(i, { regex: e.currentTarget.value })}
          />
          <button
            type="button"
            aria-label={i18n.t('page.removeRule')}
            onClick={() => setRules(rules.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {problems.map((p) => (
        <p class="field-error" role="alert" key={p}>
          {p}
        </p>
      ))}
      <div class="row mt8">
        <button type="button" onClick={() => setRules([...rules, { selector: '' }])}>
          {i18n.t('page.addRule')}
        </button>
        <button type="button" class="primary" onClick={() => void save()} data-action="save-rules">
          {i18n.t('page.saveRules')}
        </button>
      </div>
      {saved ? (
        <p class="success" role="status">
          ✓ {i18n.t('page.rulesSaved')}
        </p>
      ) : null}
      {saveError ? <ErrorNotice error={saveError} /> : null}
    </article>
  );
}

/**
 * Which channel this site's badges follow (issue 16 item 11): one of the configured channels, or
 * "any channel" (friend if a friend of any). Saved on change; a choice whose channel was removed
 * from Settings shows (and acts as) the default.
 */
function BadgeChannelChoice({
  site,
  channelIds,
  defaultBadgeChannel,
  onSaved,
}: Omit<SiteCardProps, 'onRemove' | 'profiles'>) {
  const id = useId();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  if (channelIds.length === 0) return null;
  const chosen = site.badgeChannel;
  const value =
    chosen === 'any' || (chosen !== undefined && channelIds.includes(chosen))
      ? chosen
      : (defaultBadgeChannel ?? channelIds[0]!);

  async function choose(next: string) {
    setMessage(null);
    setError(null);
    const r = await call('saveSiteBadgeChannel', { pattern: site.pattern, badgeChannel: next });
    if (!r.ok) return setError(r.error);
    onSaved(r.value);
    setMessage(i18n.t('badgeChannel.saved', [next === 'any' ? i18n.t('badgeChannel.anyShort') : next]));
  }

  return (
    <div class="mt8">
      <label for={`${id}-badge-channel`}>{i18n.t('badgeChannel.label')}</label>
      <div class="row">
        <select
          id={`${id}-badge-channel`}
          name="badgeChannel"
          value={value}
          aria-describedby={`${id}-badge-channel-help`}
          onChange={(e) => void choose(e.currentTarget.value)}
        >
          {channelIds.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
          <option value="any">{i18n.t('badgeChannel.any')}</option>
        </select>
      </div>
      <p id={`${id}-badge-channel-help`} class="muted">
        {i18n.t('badgeChannel.help')}
      </p>
      <p aria-live="polite" class="success" data-testid="badge-channel-saved">
        {message ? `✓ ${message}` : ''}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

/** Which profile's key and channels this site's badges use (issue 13); saved on change. */
function SiteProfileChoice({ site, profiles, onSaved }: Pick<SiteCardProps, 'site' | 'profiles' | 'onSaved'>) {
  const id = useId();
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  async function choose(profileId: string) {
    setError(null);
    const r = await call('saveSiteProfile', { pattern: site.pattern, profileId });
    if (!r.ok) return setError(r.error);
    onSaved(r.value);
  }
  const current = profiles.find((p) => p.id === site.profileId);
  return (
    <div class="mt8">
      <label for={`${id}-site-profile`}>{i18n.t('profiles.siteProfileLabel')}</label>
      <div class="row">
        {current ? <ProfileSwatch colour={current.colour} /> : null}
        <select
          id={`${id}-site-profile`}
          name="siteProfile"
          value={site.profileId}
          onChange={(e) => void choose(e.currentTarget.value)}
        >
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {profileLabel(p)}
            </option>
          ))}
        </select>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

function CacheControls({ ttl, onSaved }: { ttl: number; onSaved: (s: BadgeSitesState) => void }) {
  const [value, setValue] = useState(String(ttl));
  const [message, setMessage] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);

  async function saveTtl(event: Event) {
    event.preventDefault();
    setMessage(null);
    setError(null);
    const minutes = Number(value);
    const bad = value.trim() === '' || !Number.isInteger(minutes) || minutes < 0 || minutes > 1440;
    setInvalid(bad);
    if (bad) return;
    const r = await call('savePageCacheTtl', { cacheTtlMinutes: minutes });
    if (!r.ok) return setError(r.error);
    onSaved(r.value);
    setMessage(i18n.t('page.ttlSaved'));
  }

  async function clear() {
    setMessage(null);
    setError(null);
    const r = await call('clearPageCache', { recheck: true });
    if (r.ok) setMessage(i18n.t('page.cacheCleared'));
    else setError(r.error);
  }

  return (
    <form onSubmit={saveTtl}>
      <h3 class="subhead spaced">{i18n.t('page.cacheTitle')}</h3>
      <label for="cacheTtlMinutes">{i18n.t('page.cacheTtlLabel')}</label>
      <div class="row wrap">
        <input
          id="cacheTtlMinutes"
          name="cacheTtlMinutes"
          type="number"
          min={0}
          max={1440}
          class="w120"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          aria-describedby="cacheTtlHelp"
          aria-invalid={invalid ? 'true' : 'false'}
        />
        <button type="submit">{i18n.t('page.saveTtl')}</button>
        <button type="button" onClick={() => void clear()} data-action="clear-cache">
          {i18n.t('page.clearCache')}
        </button>
      </div>
      <p id="cacheTtlHelp" class="muted">
        {i18n.t('page.cacheTtlHelp')}
      </p>
      {invalid ? (
        <p class="field-error" role="alert" data-testid="ttl-invalid">
          {i18n.t('page.ttlInvalid')}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      <p aria-live="polite" class="success">
        {message ? `✓ ${message}` : ''}
      </p>
    </form>
  );
}

/**
 * A stored site whose host the browser does not allow (refused at a settings import, or taken back in the browser's
 * settings) has no badges: the card says so and asks again from this click. Silent while access is there.
 */
function SiteAccess({ pattern }: { pattern: string }) {
  const parsed = parseSitePattern(pattern);
  const origin = parsed.ok ? parsed.origin : null;
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    if (!origin) return;
    const access = createHostAccess(browser.permissions, [origin]);
    const read = () => void access.has().then(setGranted);
    read();
    return access.watch(read);
  }, [origin]);
  if (!origin || granted !== false) return null;
  return (
    <div class="notice warn" role="status" data-testid="site-no-access">
      <p>{i18n.t('page.siteNoAccess', [origin])}</p>
      <button
        type="button"
        class="primary"
        data-action="grant-site-access"
        // Straight from the click: the browser's prompt needs the user's gesture.
        onClick={() =>
          void browser.permissions.request({ origins: [origin] }).then(setGranted, () => setGranted(false))
        }
      >
        {i18n.t('page.grantSite')}
      </button>
    </div>
  );
}
