import { uiLang } from '@/lib/ui-lang';
import { render } from 'preact';
import '@/components/theme.css';
import { Popup } from '@/components/Popup';
import { readCachedStatus } from '@/components/useStatus';

// The status copy (storage.session) is read while the popup renders its first frame (issue 14 §4).
readCachedStatus();
// The catalog's language, not getUILanguage(): Chromium may show the Korean catalog while that says en-US.
document.documentElement.lang = uiLang();
render(<Popup />, document.getElementById('app')!);
