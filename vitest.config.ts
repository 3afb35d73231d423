import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'server/test/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/faults/**/*.test.ts', 'tests/cluster/**/*.test.ts', 'tests/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and browser suites each start real servers; run files one at a time on 2 cores.
    fileParallelism: false,
  },
});
