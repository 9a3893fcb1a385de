import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Korean managers' time zone, for every test: exports and screens show local times. Set here, before the
// workers start: a worker thread cannot change its own zone (its process.env is a copy).
process.env.TZ = 'Asia/Seoul';

// Unit and integration tests: browser-free logic with WXT's fake browser, and the client against the
// simulator over real HTTP on 127.0.0.1. The release-build test builds the extension twice: it runs
// with `npm run test:release` (vitest.release.config.ts), not here.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    // Threads start faster than forked processes on 2 cores.
    pool: 'threads',
    projects: [
      {
        // Component tests replace modules (`vi.mock`), so each file gets fresh modules.
        extends: true,
        test: { name: 'components', include: ['test/unit/components/**/*.test.{ts,tsx}'] },
      },
      {
        // Everything else resets what it shares (fakeBrowser.reset(), a database name per test), so its files
        // share one module graph per worker: importing lib/ once per worker instead of once per file.
        extends: true,
        test: {
          name: 'logic',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}'],
          exclude: ['test/unit/components/**', 'test/integration/firefox-release.test.ts'],
          isolate: false,
        },
      },
      {
        // The relay server (relay/, its own workspace package): no WXT plugin, no fake browser. `npm run test:relay`.
        test: {
          name: 'relay',
          include: ['relay/test/**/*.test.ts'],
          testTimeout: 30_000,
          pool: 'threads',
        },
      },
    ],
  },
});
