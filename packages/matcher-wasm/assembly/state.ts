// The book's state every step reads: slots in use, the durability sequence
// and the book's time. Each other part keeps its own state beside its steps
// (levels: best prices; icebergs: reserve totals; stops: heaps and the last
// price; expiry: the heap) and `resetBook` empties them all.
// docs/semantics.md: "Units and limits", "Time and good-till-date".

import { resetExpiry } from './expiry';
import { resetIcebergs } from './icebergs';
import { resetMap } from './idmap';
import { resetLevels } from './levels';
import { resetPool } from './pool';
import { resetStops } from './stops';

/** Order slots in use: resting orders and untriggered stops. */
export let used: u32 = 0;

/** Commands applied so far (refused ones do not count): the durability sequence. */
export let sequence: f64 = 0;

/** The book's time: moved only by advance-time commands. */
export let now: f64 = 0;

export function setSequence(value: f64): void {
  sequence = value;
}

export function setTime(value: f64): void {
  now = value;
}

/** An accepted command takes the next sequence number. */
export function countCommand(): void {
  sequence += 1;
}

/** A slot was taken (`n` 1) or given back (`n` -1). */
export function countSlots(n: i32): void {
  used += n;
}

/** Empty book (after setConfig and computeLayout). */
export function resetBook(): void {
  sequence = 0;
  now = 0;
  used = 0;
  resetExpiry();
  resetStops();
  resetIcebergs();
  resetPool();
  resetMap();
  resetLevels();
}
