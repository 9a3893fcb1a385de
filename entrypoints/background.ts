import { z } from 'zod';
import { createHandlers } from '@/lib/background/handlers';
import { messenger } from '@/lib/messages/messenger';
import { registerHandlers } from '@/lib/messages/router';
import { API_ORIGIN } from '@/lib/kakao/config';

export default defineBackground(() => {
  // No eval-based fast paths in an extension (CSP), and none of zod's probing for them.
  z.config({ jitless: true });
  const handlers = createHandlers({ apiOrigin: API_ORIGIN });
  registerHandlers(messenger, handlers, { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin });

  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});
