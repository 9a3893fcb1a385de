import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Measurements (not part of `npm test`): `npm run bench:jobs`. Results go to bench-results/.
export default defineConfig({
  plugins: [WxtVitest()],
  test: { include: ['test/bench/**/*.bench.test.ts'], setupFiles: ['test/setup.ts'], testTimeout: 600_000 },
});
