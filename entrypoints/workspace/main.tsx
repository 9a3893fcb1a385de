import { render } from 'preact';
import '@/components/theme.css';
import '@/components/workspace/workspace.css';
import { WorkspaceShell } from '@/components/workspace/WorkspaceShell';

document.documentElement.lang = browser.i18n.getUILanguage();
render(<WorkspaceShell />, document.getElementById('app')!);
