import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Tests import tickbook from its sources, where no matcher.wasm sits next
    // to the loader: hand it the workspace build (the published package loads
    // its own copy next to dist/).
    setupFiles: ['packages/core/test/support/load-matcher.ts'],
    // Property tests run thousands of cases; give them room on 2-core CI.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
