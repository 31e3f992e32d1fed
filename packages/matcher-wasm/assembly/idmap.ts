// id → order map: open addressing, linear probing, backward-shift delete.
//
// Entry (8 bytes): ┌──────────┬───────────┐
//                  │ hash u32 │ order u32 │   order 0: empty
//                  └──────────┴───────────┘
// The stored 32-bit hash lets a probe skip non-matching entries without
// touching the order pool, and gives each entry's home slot back
// (`hash >>> mapShift`) for the backward shift. Ids are f64 (exact to 2^53-1);
// their bits are mixed and the top bits of a multiplicative hash index the table.
//
// The table uses a prefix of its reserved region sized from the live orders
// (load ≤ 1/2), doubling by a rebuild from the order pool: a book configured
// for a million orders but holding seven thousand probes 16K entries that stay
// in cache, not 2M entries that miss.

import { mapBase, mapMaxSize, ORDER_SIZE, order, ordersBase } from './layout';
import { bumpNext } from './pool';

const MAP_MIN_SIZE: u32 = 1024;

let mapSize: u32 = 0;
let mapMask: u32 = 0;
let mapShift: u32 = 0;
let mapCount: u32 = 0;

// Where the last `mapFind` stopped (the id's entry, or the empty entry that
// ended its probe). A command looks its id up in validation and then inserts
// or removes that same id: the memo saves the second probe. Any change to the
// table's entries clears it (a removal's backward shift moves entries).
let memoValid = false;
let memoId: f64 = 0;
let memoAt: u32 = 0;
let memoHash: u32 = 0;

function setSize(size: u32): void {
  mapSize = size;
  mapMask = size - 1;
  mapShift = 32 - (31 - <u32>clz<i32>(<i32>size));
}

/** Entries in use of the table (its current size). */
export function mapCapacity(): u32 {
  return mapSize;
}

/** Empty map at its smallest size (memory below is zero). */
export function resetMap(): void {
  setSize(min(MAP_MIN_SIZE, mapMaxSize));
  mapCount = 0;
  memoValid = false;
}

/** Double the table and rebuild it from the live orders of the pool. */
function grow(): void {
  memoValid = false;
  setSize(mapSize << 1);
  memory.fill(mapBase, 0, (<usize>mapSize) << 3);
  for (let o = ordersBase; o < bumpNext; o += ORDER_SIZE) {
    const id = order(o).id;
    if (id !== 0) place(id, o);
  }
}

/** 2^64 / golden ratio, odd: Fibonacci hashing's multiplier. */
const GOLDEN: u64 = ((<u64>0x9e3779b9) << 32) | 0x7f4a7c15;

function hashId(id: f64): u32 {
  let x = reinterpret<u64>(id);
  x ^= x >> 29;
  x *= GOLDEN;
  return <u32>(x >> 32);
}

function entryAt(i: u32): usize {
  return mapBase + ((<usize>i) << 3);
}

/** Address of the order with this id, or 0. */
export function mapFind(id: f64): usize {
  const h = hashId(id);
  let i = h >>> mapShift;
  memoValid = true;
  memoId = id;
  memoHash = h;
  while (true) {
    const e = entryAt(i);
    const o = load<u32>(e, 4);
    if (o === 0 || (load<u32>(e) === h && order(o).id === id)) {
      memoAt = i;
      return <usize>o;
    }
    i = (i + 1) & mapMask;
  }
}

/** Add an id known to be absent; `o`'s id field is still 0 (a rebuild skips it). */
export function mapInsert(id: f64, o: usize): void {
  mapCount++;
  if (mapCount << 1 > mapSize && mapSize < mapMaxSize) grow();
  if (memoValid && memoId === id) {
    // the probe of this id's lookup ended at this empty entry, and nothing moved since
    memoValid = false;
    const e = entryAt(memoAt);
    store<u32>(e, memoHash);
    store<u32>(e, <u32>o, 4);
    return;
  }
  place(id, o);
}

function place(id: f64, o: usize): void {
  memoValid = false;
  const h = hashId(id);
  let i = h >>> mapShift;
  while (load<u32>(entryAt(i), 4) !== 0) i = (i + 1) & mapMask;
  const e = entryAt(i);
  store<u32>(e, h);
  store<u32>(e, <u32>o, 4);
}

/** Remove the entry for order `o` (present), shifting later entries of its cluster back. */
export function mapRemove(id: f64, o: usize): void {
  mapCount--;
  let i: u32;
  if (memoValid && memoId === id) {
    i = memoAt;
  } else {
    i = hashId(id) >>> mapShift;
    while (load<u32>(entryAt(i), 4) !== <u32>o) i = (i + 1) & mapMask;
  }
  memoValid = false;
  // backward shift: pull each later entry of the cluster into the hole unless
  // that would move it before its home slot
  let hole = i;
  let j = (i + 1) & mapMask;
  while (true) {
    const e = entryAt(j);
    const eo = load<u32>(e, 4);
    if (eo === 0) break;
    const eh = load<u32>(e);
    const home = eh >>> mapShift;
    if (((j - home) & mapMask) >= ((j - hole) & mapMask)) {
      const d = entryAt(hole);
      store<u32>(d, eh);
      store<u32>(d, eo, 4);
      hole = j;
    }
    j = (j + 1) & mapMask;
  }
  store<u64>(entryAt(hole), 0);
}

/**
 * Address of the order this id's stored hash points to, or 0, reading only
 * the map: the batch loop's look-ahead (prefetch.ts) must not wait on the
 * slot itself, and leaves the memo of the command being run alone. Another
 * id with the same 32-bit hash can answer instead: then a wrong line is warmed.
 */
export function mapPeek(id: f64): usize {
  const h = hashId(id);
  let i = h >>> mapShift;
  while (true) {
    const e = entryAt(i);
    const o = load<u32>(e, 4);
    if (o === 0 || load<u32>(e) === h) return <usize>o;
    i = (i + 1) & mapMask;
  }
}

/** Address of the first map entry `id` probes (prefetch.ts loads it early). */
export function mapHome(id: f64): usize {
  return entryAt(hashId(id) >>> mapShift);
}
