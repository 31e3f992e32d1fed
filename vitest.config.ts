import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Property tests run thousands of cases; give them room on 2-core CI.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
