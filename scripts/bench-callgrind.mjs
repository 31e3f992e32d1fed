#!/usr/bin/env node
// `npm run bench:callgrind [-- --book w1|100k|1m] [--paths binary,order,apply,submit] [--ops N] [--top N] [--dist DIR]`:
// where the instructions of one W1 operation go, function by function, wasm
// and JavaScript alike. A CPU profile samples time and, on a shared VM,
// moves with the neighbours; this counts instructions. valgrind's callgrind
// counts every instruction by its address, and V8's `--perf-prof` writes a
// jitdump file naming the address range of every function it compiles (the
// wasm matcher's too), so each count can be given to its function. As in
// bench:cachegrind, four processes per path (N and 2N operations, applied
// and not) and the difference over the extra N applied operations, so
// start-up, warm-up, generating the stream and compiling cancel out.
// `--dist`: another build's packages/core/dist, to compare two builds.
// Writes bench-results/callgrind-<book>-<time>.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuModel, fileStamp, valgrindRunArgs } from './bench-helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, warmup, ops, paths } = valgrindRunArgs('bench:callgrind', 100_000, {
  top: { type: 'string', default: '12' },
  dist: { type: 'string', default: join(root, 'packages/core/dist') },
});
const top = Number(values.top);

/** Code ranges from a jitdump file (JIT_CODE_LOAD records): { start, end, name }, by start. */
function jitRanges(file) {
  const b = readFileSync(file);
  let off = b.readUInt32LE(8); // header size
  const out = [];
  while (off + 16 <= b.length) {
    const id = b.readUInt32LE(off);
    const size = b.readUInt32LE(off + 4);
    if (size === 0) break;
    if (id === 0) {
      const start = Number(b.readBigUInt64LE(off + 16 + 16));
      const length = Number(b.readBigUInt64LE(off + 16 + 24));
      const nameAt = off + 16 + 40;
      const name = b.toString('utf8', nameAt, b.indexOf(0, nameAt));
      out.push({ start, end: start + length, name });
    }
    off += size;
  }
  return out.sort((x, y) => x.start - y.start);
}

/**
 * Instructions executed per address from a callgrind output written with
 * `--dump-instr=yes` (positions "instr line"; a cost line after `calls=` is
 * the call's inclusive cost and is skipped).
 */
function instrCounts(file) {
  const counts = new Map();
  let last = 0;
  let skip = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || line[0] === '+' || line[0] === '-' || line[0] === '*';
    if (!isCost) {
      if (line.startsWith('calls=')) skip = true;
      continue;
    }
    const parts = line.split(' ');
    const p = parts[0];
    if (p === '*') {
    } else if (p[0] === '+') last += Number(p.slice(1));
    else if (p[0] === '-') last -= Number(p.slice(1));
    else last = Number(p); // decimal or 0x…
    if (skip) {
      skip = false;
      continue;
    }
    if (parts.length > 2) counts.set(last, (counts.get(last) ?? 0) + Number(parts[2]));
  }
  return counts;
}

/** Instructions per JIT-compiled function in one process under callgrind. */
function measure(path, count, run) {
  const dir = mkdtempSync(join(tmpdir(), 'tickbook-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    const r = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--dump-instr=yes',
        '--smc-check=all-non-file',
        `--callgrind-out-file=${out}`,
        process.execPath,
        '--single-threaded',
        '--no-liftoff',
        '--perf-prof',
        join(root, 'scripts/cachegrind-run.mjs'),
        values.dist,
        path,
        String(warmup),
        String(count),
        run ? '1' : '0',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (r.status !== 0) throw new Error(`callgrind run failed:\n${r.stderr.slice(-2000)}`);
    const dump = readdirSync(dir).find((f) => f.startsWith('jit-') && f.endsWith('.dump'));
    if (!dump) throw new Error('V8 wrote no jitdump file (--perf-prof)');
    const ranges = jitRanges(join(dir, dump));
    const starts = ranges.map((x) => x.start);
    const byName = new Map();
    for (const [addr, n] of instrCounts(out)) {
      // last range starting at or before addr
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= addr) lo = mid;
        else hi = mid - 1;
      }
      const f = ranges[lo];
      if (!f || addr < f.start || addr >= f.end) continue;
      const name = functionName(f.name);
      byName.set(name, (byName.get(name) ?? 0) + n);
    }
    return byName;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A jitdump name without its tier and source position: "wasm applyBatch", "js decodeEvent". */
function functionName(raw) {
  const wasm = raw.match(/assembly\/([\w/]+?)-\d+-(turbofan|liftoff)$/);
  if (wasm) return `wasm ${wasm[1].split('/').pop()}`;
  const js = raw.match(/^JS:[*^~+]?(\S*) (\S+)/);
  if (js)
    return `js ${js[1] || '(anonymous)'} (${js[2]
      .split('/')
      .pop()
      .replace(/(:\d+)+$/, '')})`;
  return raw.replace(/^(Builtin|BytecodeHandler):/, 'V8 ');
}

const sections = [];
for (const path of paths) {
  console.log(`${path}: 4 runs under callgrind (${values.book} book)`);
  const a2 = measure(path, 2 * ops, true);
  const a1 = measure(path, ops, true);
  const p2 = measure(path, 2 * ops, false);
  const p1 = measure(path, ops, false);
  const names = new Set([...a2.keys(), ...a1.keys(), ...p2.keys(), ...p1.keys()]);
  const get = (m, k) => m.get(k) ?? 0;
  const rows = [...names]
    .map((k) => ({ name: k, per: (get(a2, k) - get(a1, k) - (get(p2, k) - get(p1, k))) / ops }))
    .sort((x, y) => y.per - x.per);
  const total = rows.reduce((s, r) => s + r.per, 0);
  sections.push(
    [
      `## ${path}`,
      '',
      `JIT-compiled code, ${total.toFixed(0)} instructions per operation in all (native code of V8 and libc, such as the copy of a command buffer, is not in it).`,
      '',
      '| function | instructions / op | share |',
      '|---|---|---|',
      ...rows
        .slice(0, top)
        .map(
          (r) => `| ${r.name} | ${r.per.toFixed(1)} | ${((100 * r.per) / total).toFixed(1)} % |`,
        ),
    ].join('\n'),
  );
}

const build =
  values.dist === join(root, 'packages/core/dist') ? '' : ` Build measured: \`${values.dist}\`.`;
const text = `${[
  `# Instructions per W1 operation, by function (${values.book} book)`,
  '',
  `Machine: ${cpuModel()} · Node ${process.version} · \`npm run bench:callgrind -- --book ${values.book} --ops ${ops}\`: W1 after ${warmup.toLocaleString()} warm-up orders; per path four processes under callgrind (${ops.toLocaleString()} and ${(2 * ops).toLocaleString()} operations, each applied and not), the difference over the extra ${ops.toLocaleString()} applied operations. V8 in one thread, wasm compiled by TurboFan only; each address is given to the function V8's jitdump (\`--perf-prof\`) names for it. A function V8 inlined is counted in its caller.${build}`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n')}`;
const file = join(root, 'bench-results', `callgrind-${values.book}-${fileStamp()}Z.md`);
writeFileSync(file, text);
console.log(`\n${text}\nwritten: ${file}`);
