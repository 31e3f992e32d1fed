import { copyFile } from 'node:fs/promises';
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
  esbuildOptions(options) {
    options.minifySyntax = true;
  },
  // Ship the compiled matcher next to the bundle: src/wasm/module.ts loads
  // ./matcher.wasm relative to the bundle. @tickbook/matcher-wasm is a
  // devDependency so `pnpm -r run build` builds it first.
  async onSuccess() {
    await copyFile('../matcher-wasm/build/matcher.wasm', 'dist/matcher.wasm');
  },
});
