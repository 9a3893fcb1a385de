import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import '@/components/workspace/workspace.css';
import { WorkspaceShell } from '@/components/workspace/WorkspaceShell';

// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
render(<WorkspaceShell />, document.getElementById('app')!);
