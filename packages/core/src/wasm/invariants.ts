/**
 * A WASM book's self-check: its memory against itself. Every level's FIFO
 * links, count and total; sides and best prices against the bitsets; every
 * resting order reachable by id; the free list; the expiry heap; the
 * icebergs' reserve totals. Scans the whole ladder: for tests and debugging.
 */
import type { Book } from '../book';
import {
  GEO_FREE_HEAD,
  GEO_HEAP,
  GEO_HEAP_POS,
  GEO_LEVELS,
  GEO_SLOTS_TOUCHED,
  GEO_TICKS,
  LEVEL_SIZE,
} from './abi';
import type { MemoryView } from './memory-view';
import type { MatcherExports } from './module';

function fail(what: string): never {
  throw new Error(`wasm book invariant broken: ${what}`);
}

/**
 * Throw an `Error` naming the first broken rule of the book's memory.
 * @param book - the same book, for the public queries the expiry check compares with.
 */
export function checkMatcherMemory(view: MemoryView, ex: MatcherExports, book: Book): void {
  const ticks = ex.geometry(GEO_TICKS);
  const levelsBase = ex.geometry(GEO_LEVELS);
  const reserveOf = icebergReserves(view);
  const found: number[][] = [[], []];
  const reserves = [0, 0];
  let resting = 0;
  for (let t = 0; t < ticks; t++) {
    const L = levelsBase + t * LEVEL_SIZE;
    const count = view.levelCount(L);
    if (count === 0) continue;
    const side = view.levelSide(L);
    if (side > 1) fail(`level ${t} has side ${side}`);
    found[side].push(t);
    let n = 0;
    let total = 0;
    let prev = 0;
    for (let o = view.levelHead(L); o !== 0; o = view.orderNext(o)) {
      if (++n > count) fail(`level ${t} holds more orders than its count ${count}`);
      if (view.orderPrev(o) !== prev) fail(`order at ${o} has a wrong prev link`);
      if (view.orderTick(o) !== t || view.orderSide(o) !== side) {
        fail(`order at ${o} is filed at tick ${t} side ${side} but says otherwise`);
      }
      const id = view.orderId(o);
      if (ex.findOrder(id) !== o) fail(`order ${id} is not found by its id`);
      if (!(view.orderRem(o) > 0)) fail(`order ${id} rests with no open quantity`);
      total += view.orderRem(o);
      reserves[side] += reserveOf(o);
      prev = o;
    }
    if (n !== count) fail(`level ${t} links ${n} orders but counts ${count}`);
    if (view.levelTail(L) !== prev) fail(`level ${t} tail is not its last order`);
    if (total !== view.levelTotal(L)) {
      fail(`level ${t} total ${view.levelTotal(L)} but orders sum to ${total}`);
    }
    resting += n;
  }
  for (const side of [0, 1]) {
    // the matcher's running total, exact until it once passes 2^53-1 (then Infinity until
    // the side has no iceberg left): the bound that spares a level walk must never be short
    const kept = ex.sideReserve(side);
    const exact = kept === reserves[side] && reserves[side] <= Number.MAX_SAFE_INTEGER;
    if (!exact && kept !== Number.POSITIVE_INFINITY) {
      fail(`side ${side} keeps reserves ${kept} but its icebergs hold ${reserves[side]}`);
    }
  }
  const stops = ex.stopsOn(0) + ex.stopsOn(1);
  if (resting + stops !== ex.size()) {
    fail(`size ${ex.size()} but levels hold ${resting} orders and ${stops} stops wait`);
  }
  const walk = (side: number, first: number) => {
    const out: number[] = [];
    for (let t = first; t >= 0; t = ex.nextLevel(side, t)) out.push(t);
    return out;
  };
  const bids = walk(0, ex.bestBidTick());
  const asks = walk(1, ex.bestAskTick());
  if (bids.join() !== found[0].reverse().join()) fail('bid bitsets disagree with the ladder');
  if (asks.join() !== found[1].join()) fail('ask bitsets disagree with the ladder');
  if (bids.length > 0 && asks.length > 0 && bids[0] >= asks[0]) fail('book is crossed');
  const touched = ex.geometry(GEO_SLOTS_TOUCHED);
  let free = 0;
  for (let o = ex.geometry(GEO_FREE_HEAD); o !== 0; o = view.orderNext(o)) {
    if (view.orderId(o) !== 0) fail(`free slot ${o} still has an id`);
    if (++free > touched) fail('free list has a cycle');
  }
  if (free + resting + stops !== touched) {
    fail(`${free} free + ${resting + stops} live slots but ${touched} used`);
  }
  checkExpiryHeap(view, ex, book, resting);
}

/** The hidden reserve of the order at `o` (0 unless it is an iceberg). */
function icebergReserves(view: MemoryView): (o: number) => number {
  return (o) => (view.isIceberg(o) ? view.icebergReserve(o) : 0);
}

/** The expiry heap holds exactly the resting good-till-date orders, in heap order. */
function checkExpiryHeap(view: MemoryView, ex: MatcherExports, book: Book, resting: number): void {
  const { u32 } = view;
  const pos = ex.geometry(GEO_HEAP_POS) >> 2;
  const heap = ex.geometry(GEO_HEAP) >> 2;
  const slot = (o: number) => view.slotOf(o);
  const n = ex.expiryHeapSize();
  const key = (o: number): [number, number] => [view.orderExpiry(o), view.orderId(o)];
  for (let i = 1; i <= n; i++) {
    const o = u32[heap + i - 1];
    const [at, id] = key(o);
    if (ex.findOrder(id) !== o) fail(`expiry heap entry ${i} is not a resting order`);
    if (u32[pos + slot(o)] !== i)
      fail(`order ${id} has heap position ${u32[pos + slot(o)]}, not ${i}`);
    if (!(at > ex.getTime())) fail(`order ${id} rests past its expiry ${at}`);
    if (i > 1) {
      const [pat, pid] = key(u32[heap + (i >> 1) - 1]);
      if (pat > at || (pat === at && pid > id)) fail(`expiry heap order broken at ${i}`);
    }
  }
  let gtd = 0;
  for (const side of ['buy', 'sell'] as const) {
    for (const level of book.levels(side)) {
      for (const o of book.ordersAt(side, level.price)) {
        if (book.order(o.id)?.expiresAt !== undefined) gtd++;
      }
    }
  }
  for (const st of book.stops()) if (st.expiresAt !== undefined) gtd++;
  if (gtd !== n) fail(`${gtd} good-till-date orders rest but the heap holds ${n} (of ${resting})`);
}
