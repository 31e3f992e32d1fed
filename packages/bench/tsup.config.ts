import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  // tickbook resolves to packages/core's dist at run time, so the bench
  // measures the same build users install.
  external: ['tickbook', 'tickbook/workloads', 'nodejs-order-book', 'tinybench'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
