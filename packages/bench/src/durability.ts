/**
 * Durability costs: snapshot and restore of a book holding many
 * resting orders, per engine; and W1 through the batch API with the journal on
 * (file sink, fsync per batch) versus off, interleaved, same engine.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Book,
  type Command,
  createBook,
  type EngineKind,
  FileSink,
  JournaledBook,
  recover,
  restoreBook,
} from 'tickbook';
import { type Ops, replayBatch, toCommands, type W1Workload } from 'tickbook/workloads';
import {
  BATCH_SIZE,
  MEMORY_BAND_TICKS,
  QUICK_JOURNAL_OPS,
  QUICK_SNAPSHOT_ORDERS,
  SNAPSHOT_ORDERS,
  W1_BAND,
  W1_CAPACITY,
} from './constants';
import { restingOrders } from './memory';
import { fmtBytes, fmtRate, progress, table } from './report';
import { spread } from './stats';

export interface SnapshotResult {
  engine: EngineKind;
  orders: number;
  bytes: number;
  snapshotMs: number;
  restoreMs: number;
  /** The restored book's stateHash equals the original's. */
  identical: boolean;
}

export interface JournalResult {
  engine: EngineKind;
  fsync: 'batch';
  batchSize: number;
  ops: number;
  offOpsPerSec: number;
  onOpsPerSec: number;
  /** on ÷ off. */
  ratio: number;
  journalBytes: number;
  /** Recovering the journal gave the same stateHash as the live book. */
  recovers: boolean;
}

export interface DurabilityResult {
  snapshots: SnapshotResult[];
  journal: JournalResult[];
}

function ms(start: number): number {
  return performance.now() - start;
}

function measureSnapshot(engine: EngineKind, ops: Ops): SnapshotResult {
  const book = createBook({
    minPrice: 1,
    maxPrice: MEMORY_BAND_TICKS,
    capacity: ops.length,
    engine,
  });
  replayBatch(book, ops, BATCH_SIZE);
  let t = performance.now();
  const bytes = book.snapshot();
  const snapshotMs = ms(t);
  t = performance.now();
  const restored = restoreBook(bytes, { engine });
  const restoreMs = ms(t);
  return {
    engine,
    orders: book.size,
    bytes: bytes.length,
    snapshotMs,
    restoreMs,
    identical: restored.stateHash() === book.stateHash(),
  };
}

function batches(ops: Ops): Command[][] {
  const out: Command[][] = [];
  for (let s = 0; s < ops.length; s += BATCH_SIZE) {
    out.push(toCommands(ops, s, Math.min(ops.length, s + BATCH_SIZE)));
  }
  return out;
}

/** One timed pass; returns orders/sec. */
function timed(book: Book, work: readonly Command[][], ops: number): number {
  const t = performance.now();
  for (const batch of work) book.apply(batch);
  return ops / (ms(t) / 1000);
}

function measureJournal(
  engine: EngineKind,
  workload: W1Workload,
  ops: Ops,
  runs: number,
): JournalResult {
  const warmup = batches(workload.warmup);
  const work = batches(ops);
  const config = { ...W1_BAND, capacity: W1_CAPACITY, engine };
  const dir = mkdtempSync(join(tmpdir(), 'tickbook-journal-'));
  const off: number[] = [];
  const on: number[] = [];
  let journalBytes = 0;
  let recovers = true;
  try {
    for (let r = 0; r < runs; r++) {
      const plain = createBook(config);
      for (const b of warmup) plain.apply(b);
      off.push(timed(plain, work, ops.length));

      const path = join(dir, `run-${r}.journal`);
      const sink = new FileSink(path, { fsync: 'batch' });
      const journaled = new JournaledBook(createBook(config), sink);
      for (const b of warmup) journaled.apply(b);
      on.push(timed(journaled, work, ops.length));
      sink.close();
      journalBytes = statSync(path).size;
      recovers &&=
        recover({ journal: readFileSync(path), engine }).book.stateHash() === plain.stateHash();
      progress(
        `durability · journal ${engine} run ${r + 1}/${runs}: off ${fmtRate(off[r])}, on ${fmtRate(on[r])}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const offOpsPerSec = spread(off).median;
  const onOpsPerSec = spread(on).median;
  return {
    engine,
    fsync: 'batch',
    batchSize: BATCH_SIZE,
    ops: ops.length,
    offOpsPerSec,
    onOpsPerSec,
    ratio: onOpsPerSec / offOpsPerSec,
    journalBytes,
    recovers,
  };
}

export function runDurability(
  workload: W1Workload,
  quick: boolean,
  runs: number,
): DurabilityResult {
  const orders = quick ? QUICK_SNAPSHOT_ORDERS : SNAPSHOT_ORDERS;
  const resting = restingOrders(orders, MEMORY_BAND_TICKS);
  const snapshots: SnapshotResult[] = [];
  for (const engine of ['wasm', 'js'] as const) {
    progress(`durability · snapshot/restore ${engine}: ${orders.toLocaleString()} resting orders`);
    snapshots.push(measureSnapshot(engine, resting));
  }
  const ops = quick ? sliceOps(workload.ops, QUICK_JOURNAL_OPS) : workload.ops;
  const journal = [measureJournal('wasm', workload, ops, quick ? 1 : runs)];
  return { snapshots, journal };
}

function sliceOps(ops: Ops, n: number): Ops {
  const end = Math.min(n, ops.length);
  return {
    length: end,
    kind: ops.kind.subarray(0, end),
    id: ops.id.subarray(0, end),
    side: ops.side.subarray(0, end),
    price: ops.price.subarray(0, end),
    qty: ops.qty.subarray(0, end),
  };
}

export function durabilityText(d: DurabilityResult): string {
  const snap = table([
    ['engine', 'resting orders', 'snapshot size', 'snapshot', 'restore', 'restored = original'],
    ...d.snapshots.map((s) => [
      s.engine,
      s.orders.toLocaleString(),
      fmtBytes(s.bytes),
      `${s.snapshotMs.toFixed(0)} ms`,
      `${s.restoreMs.toFixed(0)} ms`,
      s.identical ? '✓ stateHash equal' : '✗ DIFFERENT',
    ]),
  ]);
  const journal = table([
    [
      'engine',
      'W1 ops',
      'journal off',
      'journal on (fsync/batch)',
      'on ÷ off',
      'journal size',
      'recovers',
    ],
    ...d.journal.map((j) => [
      j.engine,
      j.ops.toLocaleString(),
      fmtRate(j.offOpsPerSec),
      fmtRate(j.onOpsPerSec),
      `${j.ratio.toFixed(2)}×`,
      fmtBytes(j.journalBytes),
      j.recovers ? '✓ same stateHash' : '✗ DIFFERENT',
    ]),
  ]);
  return `${snap}\n\n${journal}\n(batch API, ${BATCH_SIZE.toLocaleString()} commands per batch: one write and one fdatasync per batch)`;
}
