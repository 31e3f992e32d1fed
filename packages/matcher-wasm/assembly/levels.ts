// Price levels and order slots: an order rests at the back of its level's
// FIFO, leaves it from anywhere in O(1), and gives its slot back when it is
// done. The best bid and ask follow every change (bitsets find the next
// non-empty level). docs/semantics.md: "Level-changed events", "Queries".

import { bitClear, bitSet, nextAtOrAbove, nextAtOrBelow } from './bits';
import { BUY, KIND_ICEBERG, SELL } from './constants';
import { emitLevel } from './events';
import { expiryCount, heapRemove } from './expiry';
import { countIceberg, setIceberg } from './icebergs';
import { mapInsert, mapRemove } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Level, level, minPrice, order } from './layout';
import { allocOrder, freeOrder } from './pool';
import { countSlots, sequence } from './state';
import { clearStop, isStop } from './stops';

/** Best bid / best ask tick, -1 when the side is empty. */
export let bestBid: i32 = -1;
export let bestAsk: i32 = -1;

export function resetLevels(): void {
  bestBid = -1;
  bestAsk = -1;
}

/** Take a slot for a new order and map its id to it. */
export function newOrder(id: f64): usize {
  const o = allocOrder();
  countSlots(1);
  mapInsert(id, o);
  return o;
}

/** Write every field of the order in slot `o` (its queue links are set by `restOrder`). */
export function fillOrder(
  o: usize,
  id: f64,
  rem: f64,
  filled: f64,
  owner: f64,
  tick: i32,
  side: i32,
  stp: i32,
  postOnly: i32,
  peak: f64,
  hidden: f64,
): void {
  setIceberg(o, peak, hidden);
  const ord = order(o);
  ord.id = id;
  ord.rem = rem;
  ord.filled = filled;
  ord.owner = owner;
  ord.tick = tick;
  ord.side = <u8>side;
  ord.stp = <u8>stp;
  ord.postOnly = <u8>postOnly;
}

/** Append `o` (fields set) at the back of its level. */
export function restOrder(o: usize): Level {
  const ord = order(o);
  const tick = ord.tick;
  const side = <i32>ord.side;
  const L = level(tick);
  ord.next = 0;
  if (L.count === 0) {
    ord.prev = 0;
    L.head = <u32>o;
    L.total = ord.rem;
    L.side = side;
    bitSet(side, tick);
    if (side === BUY) {
      if (tick > bestBid) bestBid = tick;
    } else if (bestAsk < 0 || tick < bestAsk) {
      bestAsk = tick;
    }
  } else {
    order(L.tail).next = <u32>o;
    ord.prev = L.tail;
    L.total += ord.rem;
  }
  L.tail = <u32>o;
  L.count++;
  if (ord.kind === KIND_ICEBERG) countIceberg(o, 1);
  return L;
}

/** A level of `side` at `tick` just became empty. */
export function levelEmptied(side: i32, tick: i32): void {
  level(tick).total = 0;
  bitClear(side, tick);
  if (side === BUY) {
    if (tick === bestBid) bestBid = nextAtOrBelow(BUY, tick - 1);
  } else if (tick === bestAsk) {
    bestAsk = nextAtOrAbove(SELL, tick + 1);
  }
}

/** Take `o` out of its level's FIFO (anywhere in it); updates the level and best prices. */
export function unlinkOrder(o: usize): Level {
  const ord = order(o);
  const L = level(ord.tick);
  const prev = ord.prev;
  const next = ord.next;
  if (prev !== 0) order(prev).next = next;
  else L.head = next;
  if (next !== 0) order(next).prev = prev;
  else L.tail = prev;
  L.count--;
  L.total -= ord.rem;
  if (ord.kind === KIND_ICEBERG) countIceberg(o, -1);
  if (L.count === 0) levelEmptied(<i32>ord.side, ord.tick);
  return L;
}

/** Remove the head maker `m` of `L`, which has no open quantity left. */
export function popHead(L: Level, m: usize): void {
  const next = order(m).next;
  L.head = next;
  if (next !== 0) order(next).prev = 0;
  L.count--;
  if (order(m).kind === KIND_ICEBERG) countIceberg(m, -1);
  releaseOrder(m);
}

/** Forget a finished order (already out of its level): expiry, stop data, id map, slot. */
export function releaseOrder(o: usize): void {
  if (expiryCount() !== 0) heapRemove(o);
  if (isStop(o)) clearStop(o);
  mapRemove(order(o).id, o);
  freeOrder(o);
  countSlots(-1);
}

/** Emit the level-changed event of `side`'s level at `tick`. */
export function levelChanged(side: i32, tick: i32, L: Level): void {
  emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
}
