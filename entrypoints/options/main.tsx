import { render } from 'preact';
import '@/components/theme.css';
import { OptionsPage } from '@/components/OptionsPage';

document.documentElement.lang = browser.i18n.getUILanguage();
render(<OptionsPage />, document.getElementById('app')!);
