import { defineConfig } from 'vitest/config';

// Temporal's native worker crashes under worker threads: every test file gets its own process.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
