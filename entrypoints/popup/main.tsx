import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import { Popup } from '@/components/Popup';
import { sendEarly } from '@/components/useCommand';

// The status is asked for now, not once the first frame is painted: the popup is of use once it is known.
sendEarly('getStatus', {});

// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
render(<Popup />, document.getElementById('app')!);
