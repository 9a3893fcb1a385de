import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import { Popup } from '@/components/Popup';

// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
// The first paint shows the last status the background computed (lib/storage/status-cache.ts), if it is still
// true; the popup asks the background all the same and shows its answer. One read of storage.session, no message,
// started by the popup's first code (entrypoints/popup/first.ts: none in a dev build, which then waits for the answer).
void (globalThis.cdCachedStatus ?? Promise.resolve(null)).then((cached) =>
  render(<Popup cached={cached} />, document.getElementById('app')!),
);
