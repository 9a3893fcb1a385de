import { defineConfig } from 'vitest/config';

// The release builds (`npm run test:release`): builds the Chrome and Firefox extensions and their zips, so it
// runs on its own rather than in the unit run.
export default defineConfig({
  test: {
    include: ['test/integration/firefox-release.test.ts'],
    testTimeout: 30_000,
  },
});
