// Compile the AssemblyScript matcher to build/matcher.wasm.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'build'), { recursive: true });

const args = [
  join(root, 'assembly/index.ts'),
  '--outFile',
  join(root, 'build/matcher.wasm'),
  '--textFile',
  join(root, 'build/matcher.wat'),
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--sharedMemory',
  '--importMemory',
  '--enable',
  'threads',
  // 4 GiB: the largest memory a book may grow to; each book's own memory
  // declares its maximum from its config.
  '--maximumMemory',
  '65536',
  '--use',
  'abort=',
  // Keep a name section (about 2 KB) so CPU profiles and flame graphs show
  // matcher functions by name rather than as wasm-function[N].
  '--debug',
];

const { error, stderr } = await asc.main(args);
if (error) {
  console.error(stderr.toString());
  console.error(`matcher-wasm: ${error.message}`);
  process.exit(1);
}
console.log('matcher-wasm: build/matcher.wasm');
