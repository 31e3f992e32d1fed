import { defineConfig } from 'tsup';

export default defineConfig({
  // thread-roles: what the thread benchmarks' workers import (src/threads/bench-worker.ts).
  entry: { cli: 'src/cli.ts', 'thread-roles': 'src/threads/bench-roles.ts' },
  format: ['esm'],
  // tickbook resolves to packages/core's dist at run time, so the bench
  // measures the same build users install.
  external: ['tickbook', 'tickbook/workloads', 'nodejs-order-book', 'tinybench'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
