/**
 * What mapping external string ids costs: W1 per order on the WASM engine,
 * once with the workload's numeric ids and once with string ids ("o-<n>",
 * made up front) mapped through `OrderIdMap` (idFor on every new order, get
 * on every cancel, releaseFinished on every call's events). Runs interleaved,
 * median of `runs`, each on a fresh warmed book.
 */
import { performance } from 'node:perf_hooks';
import { type BookEvent, createWasmBook, isTickbookError, OrderIdMap } from 'tickbook';
import { OP_CANCEL, OP_MARKET, SIDE_NAMES, type W1Workload } from 'tickbook/workloads';
import { W1_BAND, W1_CAPACITY } from './constants';
import { fmtRate, progress, table } from './report';
import { spread } from './stats';

/** What the ids section measured. */
export interface IdsResult {
  ops: number;
  runs: number;
  /** Median orders/sec with numeric ids. */
  numericOrdersPerSec: number;
  /** Median orders/sec with string ids mapped by OrderIdMap. */
  mappedOrdersPerSec: number;
  /** Added nanoseconds per operation (from the medians). */
  overheadNsPerOp: number;
  /** Mappings left at the end; equals the resting orders when nothing leaks. */
  mappingsAtEnd: number;
  restingAtEnd: number;
}

function freshBook(w: W1Workload) {
  const book = createWasmBook({ ...W1_BAND, capacity: W1_CAPACITY });
  const { warmup } = w;
  for (let i = 0; i < warmup.length; i++) {
    book.limit({
      id: warmup.id[i],
      side: SIDE_NAMES[warmup.side[i]],
      price: warmup.price[i],
      qty: warmup.qty[i],
    });
  }
  return book;
}

function runNumeric(w: W1Workload, ops: number): number {
  const book = freshBook(w);
  const o = w.ops;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const kind = o.kind[i];
    if (kind === OP_CANCEL) {
      try {
        book.cancel(o.id[i]);
      } catch (e) {
        if (!isTickbookError(e)) throw e;
      }
    } else if (kind === OP_MARKET) {
      book.market({ id: o.id[i], side: SIDE_NAMES[o.side[i]], qty: o.qty[i] });
    } else {
      book.limit({ id: o.id[i], side: SIDE_NAMES[o.side[i]], price: o.price[i], qty: o.qty[i] });
    }
  }
  return ops / ((performance.now() - t0) / 1000);
}

function runMapped(
  w: W1Workload,
  ops: number,
  names: string[],
): { rate: number; mappings: number; resting: number } {
  const book = freshBook(w);
  const ids = new OrderIdMap<string>();
  // The warm-up orders rest under ids 1…n: map their names to the same ids (untimed).
  for (let i = 0; i < w.warmup.length; i++) {
    if (ids.idFor(`w-${w.warmup.id[i]}`) !== w.warmup.id[i])
      throw new Error('warm-up ids are not 1…n');
  }
  const o = w.ops;
  let events: BookEvent[];
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const kind = o.kind[i];
    const name = names[i];
    if (kind === OP_CANCEL) {
      const id = ids.get(name);
      if (id === undefined) continue; // already filled: nothing to cancel
      events = book.cancel(id);
    } else if (kind === OP_MARKET) {
      events = book.market({ id: ids.idFor(name), side: SIDE_NAMES[o.side[i]], qty: o.qty[i] });
    } else {
      const side = SIDE_NAMES[o.side[i]];
      events = book.limit({ id: ids.idFor(name), side, price: o.price[i], qty: o.qty[i] });
    }
    ids.releaseFinished(events);
  }
  const rate = ops / ((performance.now() - t0) / 1000);
  return { rate, mappings: ids.size, resting: book.size };
}

/** External names of the operations: a cancel names the order it cancels. */
function externalNames(w: W1Workload, ops: number): string[] {
  const warm = w.warmup.length;
  const names: string[] = new Array(ops);
  for (let i = 0; i < ops; i++) {
    const id = w.ops.id[i];
    names[i] = id <= warm ? `w-${id}` : `o-${id}`;
  }
  return names;
}

export function runIds(w: W1Workload, quick: boolean, runs: number): IdsResult {
  const ops = Math.min(w.ops.length, quick ? 200_000 : 1_000_000);
  const names = externalNames(w, ops);
  const numeric: number[] = [];
  const mapped: number[] = [];
  let last = { rate: 0, mappings: 0, resting: 0 };
  for (let r = 0; r < runs; r++) {
    progress(`ids · run ${r + 1}/${runs}: numeric ids, then string ids through OrderIdMap`);
    numeric.push(runNumeric(w, ops));
    last = runMapped(w, ops, names);
    mapped.push(last.rate);
  }
  const n = spread(numeric).median;
  const m = spread(mapped).median;
  return {
    ops,
    runs,
    numericOrdersPerSec: n,
    mappedOrdersPerSec: m,
    overheadNsPerOp: 1e9 / m - 1e9 / n,
    mappingsAtEnd: last.mappings,
    restingAtEnd: last.resting,
  };
}

export function idsText(r: IdsResult): string {
  return `${table([
    ['W1 per order, WASM', 'orders/sec', 'ns/op'],
    ['numeric ids', fmtRate(r.numericOrdersPerSec), (1e9 / r.numericOrdersPerSec).toFixed(0)],
    [
      'string ids via OrderIdMap',
      fmtRate(r.mappedOrdersPerSec),
      (1e9 / r.mappedOrdersPerSec).toFixed(0),
    ],
  ])}\nmapping adds ${r.overheadNsPerOp.toFixed(0)} ns per operation (${(r.numericOrdersPerSec / r.mappedOrdersPerSec).toFixed(2)}× the time); ${r.mappingsAtEnd.toLocaleString()} mappings left for ${r.restingAtEnd.toLocaleString()} resting orders`;
}
