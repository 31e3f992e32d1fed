// Pieces the bench scripts share: the W1 stream as the bench's binary path
// sends it, the event reader it uses, and how a result file is named.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Commands per `CommandBuffer`, as the bench's binary path sends them. */
export const BUFFER_COMMANDS = 4096;

/** `ops` (tickbook/workloads `Ops`) as command buffers of one build (`workloads` is its module). */
export function commandBuffers(workloads, ops) {
  const out = [];
  for (let s = 0; s < ops.length; s += BUFFER_COMMANDS) {
    out.push(workloads.toCommandBuffer(ops, s, Math.min(ops.length, s + BUFFER_COMMANDS)));
  }
  return out;
}

/**
 * An `applyEncoded` event sink that reads every event's type, as the bench's
 * binary path does, and counts the trades (`tb` is the build's tickbook module).
 */
export function tradeCounter(tb) {
  const counter = { trades: 0, sink: undefined };
  const trade = tb.EV_TRADE;
  counter.sink = (c) => {
    const n = c.count;
    for (let i = 0; i < n; i++) if (c.typeAt(i) === trade) counter.trades++;
  };
  return counter;
}

/** This machine's CPU model name. */
export function cpuModel() {
  return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
}

/** A time for a result file's name: 2026-12-04T11-10-44 (add the Z). */
export function fileStamp() {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

/** Resting orders before the measured operations, per `--book` size of the valgrind scripts. */
const VALGRIND_WARMUP = { w1: 10_000, '100k': 100_000, '1m': 1_000_000 };

/**
 * The options bench:cachegrind and bench:callgrind share (`--book`, `--paths`,
 * `--ops`), plus `extra` ones; exits with an install hint when valgrind is
 * missing. Returns the parsed values with `warmup`, `ops` and `paths` worked out.
 */
export function valgrindRunArgs(script, defaultOps, extra = {}) {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      book: { type: 'string', default: 'w1' },
      paths: { type: 'string', default: 'binary,order' },
      ops: { type: 'string', default: String(defaultOps) },
      ...extra,
    },
  });
  const warmup = VALGRIND_WARMUP[values.book];
  if (warmup === undefined) {
    throw new Error(`--book: one of ${Object.keys(VALGRIND_WARMUP).join(', ')}`);
  }
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error(`${script} needs valgrind: install it (Debian/Ubuntu: apt-get install valgrind)`);
    process.exit(1);
  }
  return { values, warmup, ops: Number(values.ops), paths: values.paths.split(',') };
}
