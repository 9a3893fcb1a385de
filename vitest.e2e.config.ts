import { defineConfig } from 'vitest/config';

// End-to-end: the built extension in real browsers against the simulator. One
// browser at a time (2 cores), generous timeouts for browser start-up.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
