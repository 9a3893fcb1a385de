import { describe, expect, inject, it } from 'vitest';
import { launchDesk } from '../../scripts/start-browser';
import { findChromium } from './browsers';

// `npm start` (scripts/start.ts) minus the window: the same launch, headless, opens the
// workspace of the freshly loaded extension, in the sandbox.
describe('npm start', () => {
  it('loads Channel Desk in a fresh profile and opens the workspace, in the sandbox', async () => {
    const desk = await launchDesk(findChromium(), inject('chromeExtDir'), { headless: true });
    try {
      expect(desk.workspace.url()).toBe(`chrome-extension://${desk.extensionId}/workspace.html`);
      await desk.workspace.waitForSelector('.ws-nav [data-testid="sandbox"]');
    } finally {
      await desk.close();
    }
    expect(desk.browser.connected).toBe(false);
  });
});
