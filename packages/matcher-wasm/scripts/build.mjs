// Compile the AssemblyScript matcher to build/matcher.wasm: asc (-O3), then
// one more Binaryen pass with inlining limits asc does not expose.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import binaryen from 'binaryen';
import { writeErrorCodes, writeTsAbi } from './abi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'build'), { recursive: true });
const coreWasm = join(root, '../core/src/wasm');
writeErrorCodes(root, join(root, '../core/src/errors.ts'));

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

// asc's -O3 inlines functions of up to 70 instructions (200 with one caller).
// The matcher's hot path is a handful of larger functions called once per
// command (validate, execute, match, rest, unlink, release); inlining them
// into the exported entry points lets Binaryen and V8 keep values in locals
// across them. W1 binary batch: about +25 %, per order +7 %, for a module of
// about 115 KB instead of 27 KB (A/B in one session, interleaved runs).
const INLINE = {
  always: 1000,
  flexible: 5000,
  oneCaller: 100_000,
};
const wasmFile = join(root, 'build/matcher.wasm');
const module = binaryen.readBinary(readFileSync(wasmFile));
// the features asc compiled with (its defaults and --enable threads); the
// binary has no features section to read them from
const F = binaryen.Features;
module.setFeatures(
  F.MVP |
    F.Atomics |
    F.MutableGlobals |
    F.NontrappingFPToInt |
    F.SignExt |
    F.BulkMemory |
    F.BulkMemoryOpt,
);
binaryen.setOptimizeLevel(3);
binaryen.setShrinkLevel(0);
binaryen.setDebugInfo(true); // keep the name section
binaryen.setAlwaysInlineMaxSize(INLINE.always);
binaryen.setFlexibleInlineMaxSize(INLINE.flexible);
binaryen.setOneCallerInlineMaxSize(INLINE.oneCaller);
binaryen.setAllowInliningFunctionsWithLoops(true);
module.optimize();
if (!module.validate()) {
  console.error('matcher-wasm: the re-optimised module does not validate');
  process.exit(1);
}
const binary = module.emitBinary();
writeFileSync(wasmFile, binary);
writeTsAbi(root, binary, join(coreWasm, 'abi.ts'));
writeFileSync(join(root, 'build/matcher.wat'), module.emitText());
module.dispose();
console.log('matcher-wasm: build/matcher.wasm');
