/**
 * Micro-benchmarks with tinybench: single per-order calls on a book holding
 * the W1 warm-up (10,000 orders, ~100 levels), priced so every task leaves
 * the book as it found it (set-up and clean-up run in untimed hooks).
 *
 * Book: W1 warm-up with step 20 (bids ≤ 9,980, asks ≥ 10,020), so ticks
 * 9,981 … 10,019 are free for the tasks:
 * - passive: a buy that rests at 9,981 … 9,990 (cancelled afterwards, untimed);
 * - cancel: cancel of a resting order (placed beforehand, untimed);
 * - match at one level: a buy taking one maker alone at 10,000;
 * - sweep 10 levels: a buy taking 10 makers at 10,000 … 10,009;
 * - modify: a resting order moved between 9,995 and 9,996 (loses priority).
 */

import { generateW1 } from 'tickbook/workloads';
import { Bench, type Task } from 'tinybench';
import { progress } from './report';
import type { EngineAdapter, MicroBook } from './types';

/** One micro-benchmark figure. */
export interface MicroResult {
  task: string;
  key: string;
  label: string;
  /** Median ns per call (timer overhead subtracted). */
  p50Ns: number;
  /** Mean ns per call. */
  meanNs: number;
  /** Calls per second (from the mean). */
  opsPerSec: number;
  samples: number;
}

/** The micro-benchmark task names, in table order. */
export const MICRO_TASKS = [
  'passive',
  'cancel',
  'match at one level',
  'sweep 10 levels',
  'modify',
] as const;

const BUY = 0;
const SELL = 1;

function seeded(make: () => MicroBook): MicroBook {
  const book = make();
  const w = generateW1({ ops: 0, step: 20 });
  for (let i = 0; i < w.warmup.length; i++) {
    book.limit(w.warmup.id[i], w.warmup.side[i], w.warmup.price[i], w.warmup.qty[i]);
  }
  return book;
}

/** Adds the five tasks for one engine path to `bench`. */
function addTasks(bench: Bench, e: EngineAdapter, book: MicroBook): void {
  let id = 50_000_000;
  const name = (t: string) => `${t} · ${e.key}`;
  bench.add(
    name('passive'),
    () => {
      book.limit(++id, BUY, 9_981 + (id % 10), 10);
    },
    { afterEach: () => book.cancel(id) },
  );
  bench.add(
    name('cancel'),
    () => {
      book.cancel(id);
    },
    { beforeEach: () => book.limit(++id, BUY, 9_981 + (id % 10), 10) },
  );
  bench.add(
    name('match at one level'),
    () => {
      book.limit(++id, BUY, 10_000, 10);
    },
    { beforeEach: () => book.limit(++id, SELL, 10_000, 10) },
  );
  bench.add(
    name('sweep 10 levels'),
    () => {
      book.limit(++id, BUY, 10_009, 100);
    },
    {
      beforeEach: () => {
        for (let p = 10_000; p < 10_010; p++) book.limit(++id, SELL, p, 10);
      },
    },
  );
  const moving = 49_999_999;
  let flip = 0;
  bench.add(
    name('modify'),
    () => {
      flip ^= 1;
      book.modifyPrice(moving, 9_995 + flip);
    },
    { beforeAll: () => book.limit(moving, BUY, 9_995, 10), afterAll: () => book.cancel(moving) },
  );
}

/** Runs the micro-benchmarks for every per-order path that offers them. */
export async function runMicro(
  engines: readonly EngineAdapter[],
  timeMs: number,
): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const e of engines) {
    if (!e.micro) continue;
    const make = e.micro.bind(e);
    const book = seeded(() => make({ minPrice: 1, maxPrice: 20_000, capacity: 1_000_000 }));
    const bench = new Bench({
      time: timeMs,
      warmupTime: Math.max(20, timeMs / 4),
      subtractTimerOverhead: true,
      throws: true,
    });
    addTasks(bench, e, book);
    progress(`micro · ${e.label} (${MICRO_TASKS.length} tasks × ${timeMs} ms)`);
    await bench.run();
    for (const task of bench.tasks as Task[]) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`micro ${task.name}: ${r.state}`);
      results.push({
        task: task.name.split(' · ')[0],
        key: e.key,
        label: e.label,
        p50Ns: r.latency.p50 * 1e6,
        meanNs: r.latency.mean * 1e6,
        opsPerSec: 1e3 / r.latency.mean,
        samples: r.latency.samplesCount,
      });
    }
  }
  return results;
}
