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

/** Addresses one pass loads (up to four a command), gathered first. */
const TOUCH = memory.data(<i32>WARM_GROUP * 16, 16);
/** The slots the second pass found, for the third. */
const SLOTS = memory.data(<i32>WARM_GROUP * 4, 16);

/** Load the `n` addresses gathered in TOUCH, back to back. */
function touchAll(n: u32): u32 {
  let acc: u32 = 0;
  for (let i: u32 = 0; i < n; i++) acc += load<u32>(<usize>load<u32>(TOUCH + ((<usize>i) << 2)));
  return acc;
}

/** A slot's first and last word (a slot may straddle two lines), into TOUCH at `n`. */
function gatherSlot(o: usize, n: u32): u32 {
  store<u32>(TOUCH + ((<usize>n) << 2), <u32>o);
  store<u32>(TOUCH + ((<usize>n) << 2), <u32>(o + ORDER_SIZE - 4), 4);
  return n + 2;
}

/**
 * Warm the caches for the next WARM_GROUP commands from byte `p` (up to
 * `end`), in three passes: the first id-map entry each probes; then the slot
 * of each command on a resting order (cancel, modify, reduce); then that
 * slot's FIFO neighbours, which unlinking it writes. Each pass first works
 * out its addresses from lines already warm, then loads them all in a tight
 * loop: a load that misses holds up the reorder window, and only loads that
 * follow each other closely fit in it together. Returns the offset after the
 * group. (Warming the maker an incoming order meets first, and the next one,
 * made no difference that runs on a shared machine could show.)
 */
export function warmGroup(p: u32, end: u32): u32 {
  // the loaded values go to a local and reach `sink` once: a global updated
  // per load would cost a store each and chain the loads' additions
  let acc: u32 = 0;
  let q = p;
  let n: u32 = 0;
  while (n < WARM_GROUP && q + 16 <= end) {
    const c = cmdAt(q);
    store<u32>(TOUCH + ((<usize>n) << 2), <u32>mapHome(c.id) + 4);
    q += cmdBytes(c);
    n++;
  }
  acc += touchAll(n);
  const groupEnd = min(q, end);
  n = 0;
  let slots: u32 = 0;
  for (q = p; q + 16 <= groupEnd; q += cmdBytes(cmdAt(q))) {
    const c = cmdAt(q);
    if (!onResting(c)) continue;
    const o = mapPeek(c.id);
    if (o === 0) continue;
    store<u32>(SLOTS + ((<usize>slots) << 2), <u32>o);
    slots++;
    n = gatherSlot(o, n);
  }
  acc += touchAll(n);
  n = 0;
  for (let i: u32 = 0; i < slots; i++) {
    const ord = order(<usize>load<u32>(SLOTS + ((<usize>i) << 2)));
    n = gatherSlot(<usize>ord.prev, n);
    n = gatherSlot(<usize>ord.next, n);
  }
  acc += touchAll(n);
  sink += acc;
  return groupEnd;
}
