import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import { Popup } from '@/components/Popup';

// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
render(<Popup />, document.getElementById('app')!);
