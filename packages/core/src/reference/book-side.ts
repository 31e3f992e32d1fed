/**
 * One side of the reference book: levels by price plus a {@link PriceIndex}
 * over tick offsets, so the best level and the next level behind it are found
 * without scanning empty ticks.
 */
import type { Side } from '../types';
import { PriceLevel } from './order-queue';
import { PriceIndex } from './price-index';

export class BookSide {
  private readonly levels = new Map<number, PriceLevel>();
  private readonly index: PriceIndex;
  private readonly isBid: boolean;

  constructor(
    readonly side: Side,
    private readonly minPrice: number,
    private readonly bandTicks: number,
  ) {
    this.index = new PriceIndex(bandTicks);
    this.isBid = side === 'buy';
  }

  get levelCount(): number {
    return this.levels.size;
  }

  get(price: number): PriceLevel | undefined {
    return this.levels.get(price);
  }

  /** The level at `price`, created (empty) when missing. */
  getOrCreate(price: number): PriceLevel {
    let level = this.levels.get(price);
    if (!level) {
      level = new PriceLevel(this.side, price);
      this.levels.set(price, level);
      this.index.add(price - this.minPrice);
    }
    return level;
  }

  /** Forget an empty level. */
  drop(level: PriceLevel): void {
    this.levels.delete(level.price);
    this.index.delete(level.price - this.minPrice);
  }

  /** Best level: highest bid or lowest ask. */
  best(): PriceLevel | undefined {
    const offset = this.isBid ? this.index.prev(this.bandTicks - 1) : this.index.next(0);
    return offset < 0 ? undefined : this.levels.get(offset + this.minPrice);
  }

  /** The next worse level after `level`. */
  after(level: PriceLevel): PriceLevel | undefined {
    const at = level.price - this.minPrice;
    const offset = this.isBid ? this.index.prev(at - 1) : this.index.next(at + 1);
    return offset < 0 ? undefined : this.levels.get(offset + this.minPrice);
  }

  /** Levels best first, at most `limit`. */
  *bestFirst(limit = Number.POSITIVE_INFINITY): Generator<PriceLevel> {
    let n = 0;
    for (let level = this.best(); level && n < limit; level = this.after(level), n++) yield level;
  }
}
