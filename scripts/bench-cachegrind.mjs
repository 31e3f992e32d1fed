#!/usr/bin/env node
// `npm run bench:cachegrind [-- --book w1|100k|1m] [--paths binary,order,apply,submit] [--ops N]`:
// instructions and simulated cache misses per W1 operation, measured by
// valgrind's cachegrind. Where the machine has no hardware counters (most
// VMs) these are the counts there are, and unlike timings they barely move
// with what else the machine is doing: two builds can be compared at the
// instruction level. Caches simulated: this CPU's L1 and, as the last level,
// its L2 (cachegrind models two levels; the L3 is not simulated). The wasm
// runs as V8's optimising compiler builds it (--no-liftoff), in one thread.
// Writes bench-results/cachegrind-<book>-<time>.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuModel, fileStamp, valgrindRunArgs } from './bench-helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, warmup, ops, paths } = valgrindRunArgs('bench:cachegrind', 200_000);

/** A cache level from sysfs: size in bytes, ways, line bytes, as cachegrind takes them. */
function cache(level, type) {
  const base = '/sys/devices/system/cpu/cpu0/cache';
  for (let i = 0; i < 8; i++) {
    const read = (f) => readFileSync(`${base}/index${i}/${f}`, 'utf8').trim();
    try {
      if (read('level') !== String(level) || read('type') !== type) continue;
      const size = Number.parseInt(read('size'), 10) * 1024;
      return {
        size,
        ways: Number(read('ways_of_associativity')),
        line: Number(read('coherency_line_size')),
      };
    } catch {}
  }
  throw new Error(`no level ${level} ${type} cache in ${base}`);
}
const l1d = cache(1, 'Data');
const l1i = cache(1, 'Instruction');
const l2 = cache(2, 'Unified');
const geometry = (c) => `${c.size},${c.ways},${c.line}`;

/** One process under cachegrind: instructions, L1d misses, last-level (L2) data misses. */
function measure(path, count, run) {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=yes',
      `--D1=${geometry(l1d)}`,
      `--I1=${geometry(l1i)}`,
      `--LL=${geometry(l2)}`,
      '--smc-check=all-non-file',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--no-liftoff',
      join(root, 'scripts/cachegrind-run.mjs'),
      join(root, 'packages/core/dist'),
      path,
      String(warmup),
      String(count),
      run ? '1' : '0',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`cachegrind run failed:\n${r.stderr.slice(-2000)}`);
  const num = (label) => {
    const m = r.stderr.match(new RegExp(`${label}:\\s+([\\d,]+)`));
    if (!m) throw new Error(`no "${label}" in cachegrind's summary`);
    return Number(m[1].replaceAll(',', ''));
  };
  return { ir: num('I\\s+refs'), d1: num('D1\\s+misses'), ll: num('LLd misses') };
}

const rows = [];
for (const path of paths) {
  console.log(
    `${path}: 4 runs under cachegrind (${values.book} book, ${ops.toLocaleString()} and ${(2 * ops).toLocaleString()} operations, with and without applying them)`,
  );
  // (apply 2N - apply N) - (prepare 2N - prepare N): the cost of N applied operations
  const a2 = measure(path, 2 * ops, true);
  const a1 = measure(path, ops, true);
  const p2 = measure(path, 2 * ops, false);
  const p1 = measure(path, ops, false);
  const per = (k) => (a2[k] - a1[k] - (p2[k] - p1[k])) / ops;
  rows.push({ path, ir: per('ir'), d1: per('d1'), ll: per('ll') });
}

const kb = (c) => `${c.size / 1024} KB ${c.ways}-way`;
const cpu = cpuModel();
const valgrind = execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
const label = {
  binary: 'wasm · binary batch (`applyEncoded`)',
  order: 'wasm · per-order calls',
  apply: 'wasm · `apply()` of 4,096 command objects',
  submit: 'wasm · `submit()` per command',
};
const text = `${[
  `# Instructions and simulated cache misses per W1 operation (${values.book} book)`,
  '',
  `Machine: ${cpu} · Node ${process.version} · ${valgrind} · simulated caches: L1d ${kb(l1d)}, last level = this CPU's L2 ${kb(l2)} (the L3 is not simulated).`,
  '',
  `Method: \`npm run bench:cachegrind -- --book ${values.book} --ops ${ops}\`: W1 after ${warmup.toLocaleString()} warm-up orders; per path four processes under cachegrind (${ops.toLocaleString()} and ${(2 * ops).toLocaleString()} operations, each applied and not), and the difference over the extra ${ops.toLocaleString()} operations, so start-up, warm-up, generation and JIT compiling cancel out. V8 in one thread, wasm compiled by TurboFan only.`,
  '',
  '| path | instructions / op | L1d misses / op | L2 misses / op |',
  '|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${label[r.path] ?? r.path} | ${r.ir.toFixed(0)} | ${r.d1.toFixed(2)} | ${r.ll.toFixed(2)} |`,
  ),
].join('\n')}\n`;
const stamp = fileStamp();
const file = join(root, 'bench-results', `cachegrind-${values.book}-${stamp}Z.md`);
writeFileSync(file, text);
console.log(`\n${text}\nwritten: ${file}`);
