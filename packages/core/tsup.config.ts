import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', workloads: 'src/workloads/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // CJS output gets an import.meta.url shim so both formats find the .wasm file.
  shims: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
