import { Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { SandboxBadge } from '../sandbox/SandboxBadge';
import { StatusProvider, useStatus } from '../useStatus';
import { ProfileSwitcher } from '../profiles/ProfileSwitcher';
import { PinUnlock } from '../pin/PinUnlock';
import { SECTIONS } from './sections';

function currentSectionId(): string {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return SECTIONS.some((s) => s.id === id) ? id : (SECTIONS[0]?.id ?? '');
}

/** Full-tab workspace: left navigation, one section at a time, addressed by URL hash. */
export function WorkspaceShell() {
  const [sectionId, setSectionId] = useState(currentSectionId);
  useEffect(() => {
    const onHash = () => setSectionId(currentSectionId());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  /** Bumped when the manager switches profile: the status (key, channels) and the section load again. */
  const [profileEpoch, setProfileEpoch] = useState(0);
  const section = SECTIONS.find((s) => s.id === sectionId);
  const Section = section?.component;

  return (
    <StatusProvider reloadKey={`${sectionId}|${profileEpoch}`}>
      <div class="ws">
        <nav class="ws-nav" aria-label={i18n.t('workspace.title')}>
          <h1>{i18n.t('extName')}</h1>
          <WorkspaceProfile onSwitched={() => setProfileEpoch((n) => n + 1)} />
          <SandboxBadge />
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === sectionId ? 'page' : undefined} data-section={s.id}>
                  <span aria-hidden="true">{s.icon}</span> {i18n.t(s.labelKey as Parameters<typeof i18n.t>[0])}
                </a>
              </li>
            ))}
          </ul>
          <a class="ws-settings" href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
            ⚙ {i18n.t('common.settings')}
          </a>
        </nav>
        <main class="ws-main" id="main">
          <WorkspaceUnlock onUnlocked={() => setProfileEpoch((n) => n + 1)} />
          <Suspense fallback={<p class="muted">{i18n.t('common.loading')}</p>}>
            {Section ? <Section key={profileEpoch} /> : null}
          </Suspense>
        </main>
      </div>
    </StatusProvider>
  );
}

/** The workspace header's profile: always visible; switching reloads the section for the new profile. */
function WorkspaceProfile({ onSwitched }: { onSwitched: () => void }) {
  const { status } = useStatus();
  return status?.profiles ? <ProfileSwitcher profiles={status.profiles} onSwitched={onSwitched} /> : null;
}

/**
 * A PIN-locked key: the unlock form above the section, as in the popup, so the manager never has to leave the
 * workspace to go on; unlocking loads the status and the section again.
 */
function WorkspaceUnlock({ onUnlocked }: { onUnlocked: () => void }) {
  const { status } = useStatus();
  if (status?.key.locked !== true || status.sandbox.active) return null;
  return (
    <PinUnlock
      profileId={status.profiles?.activeId ?? 'default'}
      status={status.key}
      onDone={(r) => r.ok && onUnlocked()}
    />
  );
}
