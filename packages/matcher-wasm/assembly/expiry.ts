// Good-till-date orders in a binary min-heap of order addresses keyed by
// (expiresAt, id), with each slot's expiry and 1-based heap position in
// arrays indexed by slot: an order leaving the book for any reason is taken
// out in O(log n) (releaseOrder), so the heap holds exactly the resting
// good-till-date orders and untriggered stops, never more than `capacity`.
// docs/semantics.md: "Time and good-till-date".

import { cancelWhole } from './amend';
import { R_EXPIRED } from './constants';
import { emitTime } from './events';
import { expiryBase, heapBase, heapPosBase, order, slotOf } from './layout';
import { countCommand, setTime } from './state';

let heapSize: u32 = 0;

export function resetExpiry(): void {
  heapSize = 0;
}

/** Good-till-date orders resting (entries in the expiry heap). */
export function expiryCount(): u32 {
  return heapSize;
}

/** The earliest expiry in the heap; 0 when it is empty. */
export function earliestExpiry(): f64 {
  return heapSize !== 0 ? expiryOf(heapAt(1)) : 0;
}

export function expiryOf(o: usize): f64 {
  return load<f64>(expiryBase + (slotOf(o) << 3));
}

function setExpiry(o: usize, t: f64): void {
  store<f64>(expiryBase + (slotOf(o) << 3), t);
}

function heapPosOf(o: usize): u32 {
  return load<u32>(heapPosBase + (slotOf(o) << 2));
}

function setHeapPos(o: usize, i: u32): void {
  store<u32>(heapPosBase + (slotOf(o) << 2), i);
}

function heapAt(i: u32): usize {
  return <usize>load<u32>(heapBase + ((<usize>(i - 1)) << 2));
}

function heapPut(i: u32, o: usize): void {
  store<u32>(heapBase + ((<usize>(i - 1)) << 2), <u32>o);
  setHeapPos(o, i);
}

function earlier(a: usize, b: usize): bool {
  const ea = expiryOf(a);
  const eb = expiryOf(b);
  return ea < eb || (ea === eb && order(a).id < order(b).id);
}

function siftUp(i: u32): void {
  const o = heapAt(i);
  while (i > 1) {
    const parent = i >> 1;
    const p = heapAt(parent);
    if (!earlier(o, p)) break;
    heapPut(i, p);
    i = parent;
  }
  heapPut(i, o);
}

function siftDown(i: u32): void {
  const o = heapAt(i);
  for (;;) {
    let c = i << 1;
    if (c > heapSize) break;
    if (c + 1 <= heapSize && earlier(heapAt(c + 1), heapAt(c))) c++;
    const child = heapAt(c);
    if (!earlier(child, o)) break;
    heapPut(i, child);
    i = c;
  }
  heapPut(i, o);
}

/** Track the order at `o` until `expiresAt`. */
export function heapPush(o: usize, expiresAt: f64): void {
  setExpiry(o, expiresAt);
  heapSize++;
  heapPut(heapSize, o);
  siftUp(heapSize);
}

/** Take `o` out of the heap if it is there. */
export function heapRemove(o: usize): void {
  const i = heapPosOf(o);
  if (i === 0) return;
  setHeapPos(o, 0);
  setExpiry(o, 0);
  const last = heapAt(heapSize);
  heapSize--;
  if (i <= heapSize) {
    heapPut(i, last);
    siftUp(i);
    siftDown(heapPosOf(last));
  }
}

/** Move the book's time (validated) and cancel what expires, earliest (expiresAt, id) first. */
export function execAdvance(time: f64): void {
  countCommand();
  setTime(time);
  emitTime(time);
  while (heapSize !== 0) {
    const o = heapAt(1);
    if (expiryOf(o) > time) break;
    cancelWhole(o, R_EXPIRED);
  }
}
