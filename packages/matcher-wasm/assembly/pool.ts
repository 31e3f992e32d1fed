// Order pool: fixed-size 48-byte slots from `ordersBase`. A freed slot goes
// on a LIFO free list (through `next`) and is reused first, so the slots in
// use stay compact and warm in cache; never-used slots are handed out by a
// bump pointer, so pages no order ever used are never touched. A free slot has
// id 0 (ids are ≥ 1), which is how the id map's rehash tells live slots apart.

import { ORDER_SIZE, order, ordersBase } from './layout';

/** Head of the free list (0: empty). */
export let freeHead: usize = 0;
/** First slot never used. */
export let bumpNext: usize = 0;

export function resetPool(): void {
  freeHead = 0;
  bumpNext = ordersBase;
}

/** A slot for a new order; the caller has checked the capacity. */
export function allocOrder(): usize {
  const o = freeHead;
  if (o !== 0) {
    freeHead = order(o).next;
    return o;
  }
  const b = bumpNext;
  bumpNext = b + ORDER_SIZE;
  return b;
}

/** Return a slot (already out of its level and the id map). */
export function freeOrder(o: usize): void {
  const ord = order(o);
  ord.id = 0;
  ord.next = <u32>freeHead;
  freeHead = o;
}
