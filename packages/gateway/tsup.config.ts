import { defineConfig } from 'tsup';

export default defineConfig({
  // Runnable entry points: Node 20 cannot run .ts, so the server, the load
  // test and the crash bench are shipped as built JS. `index` is the library entry (buildGateway).
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    loadtest: 'src/loadtest.ts',
    'crash-bench': 'src/crash-bench.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Keep every package (fastify, tickbook, autocannon) external: resolved from node_modules.
  skipNodeModulesBundle: true,
});
