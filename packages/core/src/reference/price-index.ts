/**
 * A set of integers in `[0, size)` with O(1)-ish insert, delete, and
 * next/previous-member search: a bitset plus summary bitsets (one bit per
 * non-empty 32-bit word below), so a search skips 32^k empty ticks per level
 * instead of scanning them one by one.
 */
export class PriceIndex {
  /** `layers[0]` holds one bit per member; `layers[k+1]` one bit per non-zero word of `layers[k]`. */
  private readonly layers: Uint32Array[] = [];

  constructor(size: number) {
    let words = Math.ceil(size / 32);
    for (;;) {
      this.layers.push(new Uint32Array(Math.max(words, 1)));
      if (words <= 1) break;
      words = Math.ceil(words / 32);
    }
  }

  add(i: number): void {
    for (const layer of this.layers) {
      const w = i >>> 5;
      const wasEmpty = layer[w] === 0;
      layer[w] |= 1 << (i & 31);
      if (!wasEmpty) return;
      i = w;
    }
  }

  delete(i: number): void {
    for (const layer of this.layers) {
      const w = i >>> 5;
      layer[w] &= ~(1 << (i & 31));
      if (layer[w] !== 0) return;
      i = w;
    }
  }

  /** Smallest member `>= i`, or -1. */
  next(i: number): number {
    return this.nextIn(0, i);
  }

  /** Largest member `<= i`, or -1. */
  prev(i: number): number {
    return this.prevIn(0, i);
  }

  private nextIn(depth: number, i: number): number {
    const layer = this.layers[depth];
    if (layer === undefined || i < 0) return -1;
    let w = i >>> 5;
    if (w >= layer.length) return -1;
    const bits = layer[w] & (~0 << (i & 31));
    if (bits === 0) {
      w = this.nextIn(depth + 1, w + 1);
      if (w < 0) return -1;
      return (w << 5) + lowestBit(layer[w]);
    }
    return (w << 5) + lowestBit(bits);
  }

  private prevIn(depth: number, i: number): number {
    const layer = this.layers[depth];
    if (layer === undefined || i < 0) return -1;
    let w = i >>> 5;
    if (w >= layer.length) return this.prevIn(depth, layer.length * 32 - 1);
    const bits = layer[w] & (0xffffffff >>> (31 - (i & 31)));
    if (bits === 0) {
      w = this.prevIn(depth + 1, w - 1);
      if (w < 0) return -1;
      return (w << 5) + highestBit(layer[w]);
    }
    return (w << 5) + highestBit(bits);
  }
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function highestBit(x: number): number {
  return 31 - Math.clz32(x);
}
