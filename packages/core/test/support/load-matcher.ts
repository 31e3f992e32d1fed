/**
 * Test setup: the sources have no matcher.wasm next to src/wasm/module.ts (the
 * build copies it next to dist/), so give the source copy of tickbook the
 * workspace build, through the same public call bundled applications use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setMatcher } from '../../src/index';

const built = resolve(import.meta.dirname, '../../../matcher-wasm/build/matcher.wasm');
try {
  setMatcher(readFileSync(built));
} catch (e) {
  throw new Error(`${built} is missing: run \`npm run build\` first (${(e as Error).message})`);
}
