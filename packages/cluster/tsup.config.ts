import { defineConfig } from 'tsup';

export default defineConfig({
  // `index` is the library; `cli` runs matcher nodes, the sink and a local dev cluster.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', bench: 'src/bench.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  skipNodeModulesBundle: true,
});
