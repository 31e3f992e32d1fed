/**
 * How the gateway and the cluster are built alike: ESM for Node 20 with
 * source maps, types for the library entry `index` only, and every package
 * left external (resolved from node_modules at run time). Each package's
 * `defineConfig` checks these options against its own tsup.
 */
export function serviceBuild(entry: Record<string, string>) {
  return {
    entry,
    format: ['esm' as const],
    dts: { entry: { index: 'src/index.ts' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    skipNodeModulesBundle: true,
  };
}
