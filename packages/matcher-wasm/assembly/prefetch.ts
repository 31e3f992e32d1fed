// Cache warming for the batch loop on big books. In a book of a million
// orders the id map and the order pool are far larger than the caches, and a
// cancel pays a chain of misses one after another: its map entry, then its
// slot, then its FIFO neighbours. WebAssembly has no prefetch instruction; a
// load whose value only feeds a sink stands in for one, but such a load holds
// up the CPU's reorder window until it completes, so warming one command
// ahead only moves the wait. Warming a group of commands does overlap: the
// loads of one pass over the group are independent, so their misses run in
// parallel, and each pass waits about one miss for the whole group instead of
// one per command.
//
// Every address loaded here is a map entry or a value read from an order
// slot (an order address, a small stop-heap position, or 0), so it is always
// inside memory, even when a command of the group has changed the map since:
// a stale look-ahead only warms the wrong line.

import { CMD_CANCEL, CMD_MODIFY, CMD_REDUCE } from './constants';
import { mapCapacity, mapHome, mapPeek } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Cmd, cmdBase, cmdBytes, ORDER_SIZE, order } from './layout';

/** Commands warmed together. */
export const WARM_GROUP: u32 = 16;
/**
 * Map entries from which the batch loop warms ahead: 2^17 entries (1 MB of
 * map, about 65,000 resting orders), where map and pool outgrow the
 * second-level cache. Below it every line is a cache hit and warming would
 * only add work.
 */
const WARM_MIN_MAP: u32 = 1 << 17;

/** Sink of the warming loads, so the optimiser keeps them. */
let sink: u32 = 0;

/**
 * Start loading the first map entry `id` probes. On a small book the batch
 * loop calls it for the next command while it runs this one (a random map
 * entry is rarely in the first-level cache; W1 binary batch about 3 % faster).
 */
export function warmMapEntry(id: f64): void {
  sink += load<u32>(mapHome(id), 4);
}

/** Is the book big enough for warming to pay? */
export function warmingPays(): bool {
  return mapCapacity() >= WARM_MIN_MAP;
}

function cmdAt(p: u32): Cmd {
  return changetype<Cmd>(cmdBase + <usize>p);
}

/** Does command `c` work on an order already in the book? */
function onResting(c: Cmd): bool {
  const k = <i32>c.kind;
  return k === CMD_CANCEL || k === CMD_MODIFY || k === CMD_REDUCE;
}

/**
 * Warm the caches for the next WARM_GROUP commands from byte `p` (up to
 * `end`), in three passes: the first id-map entry each probes; then the slot
 * of each command on a resting order (cancel, modify, reduce); then that
 * slot's FIFO neighbours, which unlinking it writes. Returns the offset after
 * the group. (Warming the maker an incoming order meets first, and the next
 * one, made no difference that runs on a shared machine could show.)
 */
export function warmGroup(p: u32, end: u32): u32 {
  // the loaded values go to a local and reach `sink` once: a global updated
  // per load would cost a store each and chain the loads' additions
  let acc: u32 = 0;
  let q = p;
  let n: u32 = 0;
  while (n < WARM_GROUP && q + 16 <= end) {
    const c = cmdAt(q);
    acc += load<u32>(mapHome(c.id), 4);
    q += cmdBytes(c);
    n++;
  }
  const groupEnd = min(q, end);
  for (q = p; q + 16 <= groupEnd; q += cmdBytes(cmdAt(q))) {
    const c = cmdAt(q);
    if (!onResting(c)) continue;
    const o = mapPeek(c.id);
    if (o !== 0) acc += load<u32>(o) + load<u8>(o + ORDER_SIZE - 1);
  }
  for (q = p; q + 16 <= groupEnd; q += cmdBytes(cmdAt(q))) {
    const c = cmdAt(q);
    if (!onResting(c)) continue;
    const o = mapPeek(c.id);
    if (o === 0) continue;
    const prev = <usize>order(o).prev;
    const next = <usize>order(o).next;
    acc += load<u32>(prev) + load<u8>(prev + ORDER_SIZE - 1);
    acc += load<u32>(next) + load<u8>(next + ORDER_SIZE - 1);
  }
  sink += acc;
  return groupEnd;
}
