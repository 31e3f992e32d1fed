/**
 * The native ceiling: W1 on a hand-written C++ price-ladder book
 * (native/ladder.cpp), compiled with the machine's g++ and run in the same
 * bench run as tickbook's paths. Each path is then also a multiple of the
 * native time, a ratio that holds on a shared machine whose absolute speed
 * drifts from phase to phase. The C++ book must reproduce the W1 checksums.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checksumMismatches,
  type Ops,
  W1_EXPECTED,
  type W1Checksums,
  type W1Workload,
} from 'tickbook/workloads';
import { W1_BAND, W1_CAPACITY } from './constants';
import { fmtRate, progress, table } from './report';
import { spread } from './stats';
import type { Spread, ThroughputResult } from './types';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../native/ladder.cpp');
const COMPILER = 'g++';
const FLAGS = ['-O2', '-std=c++17'];

/** The C++ book's W1 figures. */
export interface CeilingResult {
  label: string;
  /** Compiler and flags, e.g. `g++ (Debian 12.2.0-14) 12.2.0 -O2 -std=c++17`. */
  build: string;
  /** Operations per second: one run between every two timed runs of the paths, in order. */
  opsPerSec: Spread;
  nsPerOp: number;
  checksums: W1Checksums;
}

/** The ceiling, or why this run has none (no compiler). */
export type Ceiling = CeilingResult | { skipped: string };

/** Compile ladder.cpp once per source version; the binary's path. */
function ladderBinary(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(FLAGS.join(' ')).digest('hex');
  const dir = join(tmpdir(), 'tickbook-bench');
  const binary = join(dir, `ladder-${hash.slice(0, 16)}`);
  if (!existsSync(binary)) {
    progress('native ceiling: compiling native/ladder.cpp');
    mkdirSync(dir, { recursive: true });
    // compiled under a name of its own, then renamed: two bench runs starting
    // together never run a half-written binary
    const partial = `${binary}.${process.pid}`;
    execFileSync(COMPILER, [...FLAGS, '-o', partial, SOURCE], { stdio: 'inherit' });
    renameSync(partial, binary);
  }
  return binary;
}

function opsBytes(ops: Ops): Buffer[] {
  const bytes = (a: Uint8Array | Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return [bytes(ops.kind), bytes(ops.side), bytes(ops.id), bytes(ops.price), bytes(ops.qty)];
}

/** The stream as ladder.cpp reads it (see its header comment). */
function writeOpsFile(workload: W1Workload): string {
  const head = Buffer.alloc(24);
  head.write('TBW1', 0, 'latin1');
  head.writeUInt32LE(workload.warmup.length, 4);
  head.writeUInt32LE(workload.ops.length, 8);
  head.writeUInt32LE(Math.min(W1_BAND.minPrice, workload.minPrice), 12);
  head.writeUInt32LE(Math.max(W1_BAND.maxPrice, workload.maxPrice), 16);
  head.writeUInt32LE(W1_CAPACITY, 20);
  const file = join(tmpdir(), `tickbook-bench-w1-${process.pid}.ops`);
  writeFileSync(
    file,
    Buffer.concat([head, ...opsBytes(workload.warmup), ...opsBytes(workload.ops)]),
  );
  return file;
}

/** Runs of the C++ book on fresh books; checks its checksums against `expected`. */
export class NativeCeiling {
  private readonly samples: number[] = [];
  private checksums: W1Checksums | undefined;
  private constructor(
    private readonly binary: string,
    private readonly file: string,
    readonly build: string,
    private readonly expected: Readonly<W1Checksums>,
  ) {}

  /** Compile the book and write the stream; without a compiler, the reason there is no ceiling. */
  static prepare(workload: W1Workload, expected = W1_EXPECTED): NativeCeiling | string {
    let version: string;
    try {
      version = execFileSync(COMPILER, ['--version'], { encoding: 'utf8' }).split('\n')[0];
    } catch {
      return `no ${COMPILER} on PATH (install it, e.g. apt-get install -y g++): no native ceiling in this run`;
    }
    return new NativeCeiling(
      ladderBinary(),
      writeOpsFile(workload),
      `${version} ${FLAGS.join(' ')}`,
      expected,
    );
  }

  /** `runs` timed runs, each on a fresh book after the warm-up: their rates (also kept, in run order). */
  run(runs: number): number[] {
    const out = execFileSync(this.binary, [this.file, String(runs)], { encoding: 'utf8' });
    const parsed = JSON.parse(out) as { opsPerSec: number[]; checksums: W1Checksums };
    const wrong = checksumMismatches(parsed.checksums, this.expected);
    if (wrong.length > 0) {
      throw new Error(`the native ceiling did different matching: ${wrong.join('; ')}`);
    }
    this.checksums = parsed.checksums;
    this.samples.push(...parsed.opsPerSec);
    return parsed.opsPerSec;
  }

  /** Remove the stream's file (the runs are done, or the bench failed). */
  dispose(): void {
    rmSync(this.file, { force: true });
  }

  /** The figures of every run so far. */
  result(): CeilingResult {
    if (!this.checksums) throw new Error('the native ceiling has not run');
    const opsPerSec = spread(this.samples);
    return {
      label: 'native C++ price ladder (ceiling)',
      build: this.build,
      opsPerSec,
      nsPerOp: 1e9 / opsPerSec.median,
      checksums: this.checksums,
    };
  }
}

/**
 * A path's time per operation as a multiple of the ceiling's: each of its
 * timed runs against the ceiling's rate around that run (the runs just
 * before and after it), the median of those; median against median when
 * the path has no such pairing.
 */
export function timesNative(r: ThroughputResult, c: CeilingResult): number {
  const p = r.opsPerSec.samples;
  const around = r.ceilingAround;
  if (!around || around.length !== p.length || p.length === 0) {
    return c.opsPerSec.median / r.opsPerSec.median;
  }
  return spread(p.map((rate, i) => around[i] / rate)).median;
}

/** Table rows: the ceiling, then every path with its time as a multiple of the ceiling's. */
export function ceilingRows(w1: readonly ThroughputResult[], c: CeilingResult): string[][] {
  const rows = [['path', 'orders/s (median)', 'ns/op', '× native time']];
  rows.push([c.label, fmtRate(c.opsPerSec.median), c.nsPerOp.toFixed(0), '1.00×']);
  for (const r of w1) {
    rows.push([
      r.label,
      fmtRate(r.opsPerSec.median),
      r.nsPerOp.toFixed(0),
      `${timesNative(r, c).toFixed(2)}×`,
    ]);
  }
  return rows;
}

/** The terminal section. */
export function ceilingText(w1: readonly ThroughputResult[], ceiling: Ceiling): string {
  if ('skipped' in ceiling) return ceiling.skipped;
  const n = ceiling.opsPerSec.samples.length;
  return `${table(ceilingRows(w1, ceiling))}\n${ceiling.build}; ${n} runs on fresh books, one between every two timed runs of the paths (each run set against the two around it); W1 checksums ✓`;
}
