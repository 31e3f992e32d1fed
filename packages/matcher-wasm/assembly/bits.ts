// Bitset pyramid per side: level 0 has one bit per tick (set: a non-empty
// level of that side); level k+1 has one bit per 64-bit word of level k (set:
// the word is non-zero). The top level is a single word. Finding the next
// non-empty level climbs until a word has a candidate bit, then descends with
// ctz/clz: at most 2 × 4 word reads for a 16,777,216-tick band, however sparse.

import { bitLevels, bitsAt, bitWords } from './layout';

/** Mark `tick` non-empty on `side`. */
export function bitSet(side: i32, tick: i32): void {
  let idx = <u32>tick;
  for (let k = 0; k < bitLevels; k++) {
    const p = bitsAt(side, k) + ((<usize>(idx >> 6)) << 3);
    const w = load<u64>(p);
    store<u64>(p, w | ((<u64>1) << (idx & 63)));
    if (w !== 0) return; // parent bit already set
    idx >>= 6;
  }
}

/** Mark `tick` empty on `side`. */
export function bitClear(side: i32, tick: i32): void {
  let idx = <u32>tick;
  for (let k = 0; k < bitLevels; k++) {
    const p = bitsAt(side, k) + ((<usize>(idx >> 6)) << 3);
    const w = load<u64>(p) & ~((<u64>1) << (idx & 63));
    store<u64>(p, w);
    if (w !== 0) return; // word still non-empty: parent bit stays
    idx >>= 6;
  }
}

/** Smallest set tick ≥ `from` on `side`, or -1. */
export function nextAtOrAbove(side: i32, from: i32): i32 {
  let idx = <u32>from;
  let k = 0;
  const top = bitLevels - 1;
  while (true) {
    const w = idx >> 6;
    if (w >= bitWords(k)) return -1;
    const word = load<u64>(bitsAt(side, k) + ((<usize>w) << 3)) & ((<u64>-1) << (idx & 63));
    if (word !== 0) {
      idx = (w << 6) + <u32>ctz<u64>(word);
      break;
    }
    if (k === top) return -1;
    k++;
    idx = w + 1;
  }
  while (k > 0) {
    k--;
    const word = load<u64>(bitsAt(side, k) + ((<usize>idx) << 3));
    idx = (idx << 6) + <u32>ctz<u64>(word);
  }
  return <i32>idx;
}

/** Largest set tick ≤ `from` on `side`, or -1. */
export function nextAtOrBelow(side: i32, from: i32): i32 {
  if (from < 0) return -1;
  let idx = from;
  let k = 0;
  const top = bitLevels - 1;
  while (true) {
    const w = idx >> 6;
    const word = load<u64>(bitsAt(side, k) + ((<usize>w) << 3)) & (<u64>-1 >> (63 - (idx & 63)));
    if (word !== 0) {
      idx = (w << 6) + 63 - <i32>clz<u64>(word);
      break;
    }
    if (k === top || w === 0) return -1;
    k++;
    idx = w - 1;
  }
  while (k > 0) {
    k--;
    const word = load<u64>(bitsAt(side, k) + ((<usize>idx) << 3));
    idx = (idx << 6) + 63 - <i32>clz<u64>(word);
  }
  return idx;
}
