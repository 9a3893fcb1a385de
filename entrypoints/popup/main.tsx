import { render } from 'preact';
import '@/components/theme.css';
import { Popup } from '@/components/Popup';

document.documentElement.lang = browser.i18n.getUILanguage();
render(<Popup />, document.getElementById('app')!);
