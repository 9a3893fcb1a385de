import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { QUICK_COMMANDS } from '@/lib/quick-commands';

interface Command {
  name?: string;
  description?: string;
  shortcut?: string;
}

type FirefoxCommands = { openShortcutSettings?: () => Promise<void> };

/** Our words for each command (the manifest's descriptions may come back unlocalised). */
function commandLabel(command: Command): string {
  if (command.name === QUICK_COMMANDS.checkSelection) return i18n.t('quick.commandCheckSelection');
  if (command.name === QUICK_COMMANDS.openWorkspace) return i18n.t('quick.commandOpenWorkspace');
  return command.description ?? command.name ?? '';
}

/**
 * Options: the keyboard shortcuts with the keys the browser has for them now (`commands.getAll()`), and the way to
 * the browser's own shortcut page, where they are changed (Chrome: chrome://extensions/shortcuts; Firefox 137+:
 * `commands.openShortcutSettings()`, else the path through about:addons).
 */
export function ShortcutsSection() {
  const [commands, setCommands] = useState<Command[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const firefox = import.meta.env.BROWSER === 'firefox';
  const openSettings = (browser.commands as unknown as FirefoxCommands | undefined)?.openShortcutSettings;
  const canOpen = !firefox || typeof openSettings === 'function';

  useEffect(() => {
    // A browser without the API (or one that throws) leaves the list empty; the button still leads to the page.
    Promise.resolve()
      .then(() => browser.commands.getAll())
      .then(
        (all) => setCommands(all.filter((c) => c.name !== '_execute_action')),
        () => setCommands([]),
      );
  }, []);

  async function open() {
    setError(null);
    try {
      if (firefox) await (browser.commands as unknown as Required<FirefoxCommands>).openShortcutSettings();
      else await browser.tabs.create({ url: 'chrome://extensions/shortcuts' });
    } catch (err) {
      setError(i18n.t('quick.openFailed', [err instanceof Error ? err.message : String(err)]));
    }
  }

  return (
    <section class="card" aria-labelledby="shortcuts-title" data-section="shortcuts">
      <h2 id="shortcuts-title">{i18n.t('quick.shortcutsTitle')}</h2>
      <p class="muted">{i18n.t('quick.shortcutsIntro')}</p>
      {commands === null ? <p class="muted">{i18n.t('common.loading')}</p> : null}
      {commands && commands.length > 0 ? (
        <table class="shortcuts" data-testid="shortcuts">
          <tbody>
            {commands.map((c) => (
              <tr key={c.name} data-command={c.name}>
                <th scope="row">{commandLabel(c)}</th>
                <td data-shortcut={c.shortcut ?? ''}>
                  {c.shortcut ? <kbd>{c.shortcut}</kbd> : <span class="muted">{i18n.t('quick.shortcutNotSet')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canOpen ? (
        <button type="button" onClick={() => void open()} data-action="open-shortcuts">
          {i18n.t('quick.openShortcuts')}
        </button>
      ) : null}
      {firefox && !canOpen ? <p data-testid="shortcuts-path">{i18n.t('quick.firefoxPath')}</p> : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
