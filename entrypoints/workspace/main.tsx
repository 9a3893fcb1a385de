import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import '@/components/workspace/workspace.css';
import { WorkspaceShell } from '@/components/workspace/WorkspaceShell';
import { holdUntil, migrationDone } from '@/lib/storage/kv';

// The workspace reads the extension's store itself (jobs): not before the background has moved stored data to
// the current schema (the popup and options ask the background, which holds its own reads until then).
holdUntil(migrationDone());

// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
render(<WorkspaceShell />, document.getElementById('app')!);
