import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import { PrivacyPage } from '@/components/PrivacyPage';
import policy from '../../PRIVACY.md?raw';

// PRIVACY.md itself, bundled: the page the options page and the store text link to says exactly what the file says.
document.documentElement.lang = uiLang();
render(<PrivacyPage markdown={policy} />, document.getElementById('app')!);
