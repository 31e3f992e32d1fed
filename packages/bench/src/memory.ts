/**
 * Memory: the book's own memory for capacity 1,000,000 orders × a
 * 1,000,000-tick band, empty and holding 1,000,000 resting orders at sparse
 * prices, measured as the change in V8 heap + external memory (typed arrays)
 * plus the book's WebAssembly linear memory (its `byteLength`), and as the
 * change in RSS, after full collections; and the process peak RSS.
 */
import { allocOps, mulberry32, OP_PASSIVE } from 'tickbook/workloads';
import { MEMORY_BAND_TICKS, MEMORY_CAPACITY } from './constants';
import { fullGc } from './gc';
import { fmtBytes, progress } from './report';
import type { BookRunner, EngineAdapter } from './types';

/** Memory of one engine's big book. */
export interface MemoryResult {
  key: string;
  label: string;
  /** Resting orders placed. */
  orders: number;
  /** The book's capacity. */
  capacity: number;
  bandTicks: number;
  /** Heap + external bytes of the empty book (preallocated capacity). */
  emptyBytes: number;
  /** Heap + external bytes holding `orders` resting orders. */
  fullBytes: number;
  /** (with orders − empty) ÷ orders: what each resting order adds (0 when preallocated). */
  bytesPerOrder: number;
  /** RSS growth while creating and filling the book. */
  rssDeltaBytes: number;
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** `n` non-crossing resting orders: buys in the lower half of the band, sells in the upper. */
export function restingOrders(n: number, band: number) {
  const ops = allocOps(n);
  const rand = mulberry32(7);
  const half = Math.floor(band / 2);
  for (let i = 0; i < n; i++) {
    const side = i & 1;
    ops.kind[i] = OP_PASSIVE;
    ops.id[i] = i + 1;
    ops.side[i] = side;
    ops.qty[i] = 1 + Math.floor(rand() * 100);
    const off = Math.floor(rand() * (half - 1));
    ops.price[i] = side === 0 ? 1 + off : half + 2 + off;
  }
  return ops;
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Measures one per-order path per engine kind (the peer too when `withPeer`).
 * @param orders - resting orders to place (the capacity stays {@link MEMORY_CAPACITY}).
 */
export function runMemory(
  engines: readonly EngineAdapter[],
  withPeer: boolean,
  orders: number = MEMORY_CAPACITY,
): MemoryResult[] {
  const band = MEMORY_BAND_TICKS;
  const ops = restingOrders(orders, band);
  const results: MemoryResult[] = [];
  const picked = engines.filter(
    (e) => e.path === 'per-order' && (e.family === 'tickbook' || withPeer),
  );
  for (const e of picked) {
    progress(
      `memory · ${e.label}: ${orders.toLocaleString()} orders × ${band.toLocaleString()} ticks`,
    );
    const prepared = e.prepare(ops);
    fullGc();
    const base = used();
    const rss0 = process.memoryUsage().rss;
    let runner: BookRunner | undefined = e.create({
      minPrice: 1,
      maxPrice: band,
      capacity: orders,
    });
    fullGc();
    const empty = used() - base + (runner.outsideHeapBytes?.() ?? 0);
    runner.run(prepared);
    const resting = runner.size();
    if (resting !== orders)
      throw new Error(`memory · ${e.label}: ${resting} of ${orders} orders rest`);
    fullGc();
    const full = used() - base + (runner.outsideHeapBytes?.() ?? 0);
    const rss = process.memoryUsage().rss - rss0;
    runner = undefined;
    fullGc();
    results.push({
      key: e.key,
      label: e.label,
      orders,
      capacity: MEMORY_CAPACITY,
      bandTicks: band,
      emptyBytes: empty,
      fullBytes: full,
      bytesPerOrder: (full - empty) / orders,
      rssDeltaBytes: rss,
    });
    progress(`memory · ${e.label}: empty ${fmtBytes(empty)}, full ${fmtBytes(full)}`);
  }
  return results;
}
