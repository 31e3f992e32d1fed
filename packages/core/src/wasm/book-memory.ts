/**
 * Reading one WASM book's state from its linear memory: levels, resting
 * orders, order details, untriggered stops, and every resting order for a
 * snapshot, and loading a snapshot back. What {@link WasmBook}'s queries and
 * snapshots answer with; records are read by name through {@link MemoryView}.
 */
import { TickbookError } from '../errors';
import type { SnapshotOrder, SnapshotStop } from '../internal';
import type { Level, OrderInfo, RestingOrder, Side } from '../types';
import { LEVEL_SIZE, SIDE_CODES, STP_CODES, TIF_CODES } from './codes';
import { encodeStop, sideCode } from './encode';
import type { MemoryView } from './memory-view';
import type { MatcherExports } from './module';

/** The book's memory and the band it is laid out for. */
export class BookMemory {
  constructor(
    private readonly view: MemoryView,
    private readonly ex: MatcherExports,
    private readonly minPrice: number,
    private readonly maxPrice: number,
    private readonly levelsBase: number,
  ) {}

  /** The level at `tick` (price − minPrice). */
  levelAt(tick: number): Level {
    const L = this.levelsBase + tick * LEVEL_SIZE;
    return {
      price: this.minPrice + tick,
      qty: this.view.levelTotal(L),
      count: this.view.levelCount(L),
    };
  }

  /** `side`'s levels, best first, at most `limit`. */
  levels(side: Side, limit: number): Level[] {
    const s = side === 'buy' ? 0 : 1;
    const out: Level[] = [];
    let t = s === 0 ? this.ex.bestBidTick() : this.ex.bestAskTick();
    for (let n = 0; t >= 0 && n < limit; n++) {
      out.push(this.levelAt(t));
      t = this.ex.nextLevel(s, t);
    }
    return out;
  }

  /** The orders resting at one price of one side, oldest first. */
  ordersAt(side: Side, price: number): RestingOrder[] {
    const out: RestingOrder[] = [];
    if (!Number.isInteger(price) || price < this.minPrice || price > this.maxPrice) return out;
    const L = this.levelsBase + (price - this.minPrice) * LEVEL_SIZE;
    const s = side === 'buy' ? 0 : 1;
    const v = this.view;
    if (v.levelCount(L) === 0 || v.levelSide(L) !== s) return out;
    for (let o = v.levelHead(L); o !== 0; o = v.orderNext(o)) {
      out.push({ id: v.orderId(o), qty: v.orderRem(o), owner: v.orderOwner(o) });
    }
    return out;
  }

  /** The untriggered stops, buy stops first, each side in trigger order. */
  stops(): OrderInfo[] {
    const out: OrderInfo[] = [];
    for (let side = 0; side < 2; side++) {
      const n = this.ex.stopsOn(side);
      const at: number[] = [];
      for (let i = 1; i <= n; i++) at.push(this.ex.stopHeapEntry(side, i));
      const key = (o: number) => this.ex.orderTrigger(o);
      at.sort((a, b) => {
        const d = side === 0 ? key(a) - key(b) : key(b) - key(a);
        return d !== 0 ? d : this.ex.orderStopStamp(a) - this.ex.orderStopStamp(b);
      });
      for (const o of at) out.push(this.orderInfo(o));
    }
    return out;
  }

  /** What `order(id)` answers for the order or stop in the slot at `o`. */
  orderInfo(o: number): OrderInfo {
    const v = this.view;
    const kind = this.ex.orderStopKind(o);
    if (kind !== 0) {
      const info: OrderInfo = {
        id: v.orderId(o),
        side: SIDE_CODES[v.orderSide(o)],
        price: kind === 2 ? this.minPrice + v.orderTick(o) : null,
        remaining: v.orderRem(o),
        filled: 0,
        status: 'untriggered',
        owner: v.orderOwner(o),
        stp: STP_CODES[v.orderStp(o)],
        postOnly: false,
      };
      const expiresAt = this.ex.orderExpiry(o);
      if (expiresAt !== 0) info.expiresAt = expiresAt;
      info.trigger = this.ex.orderTrigger(o);
      info.timeInForce = TIF_CODES[this.ex.orderStopTif(o)];
      return info;
    }
    const filled = v.orderFilled(o);
    const displayed = v.orderRem(o);
    const iceberg = v.isIceberg(o);
    const info: OrderInfo = {
      id: v.orderId(o),
      side: SIDE_CODES[v.orderSide(o)],
      price: this.minPrice + v.orderTick(o),
      remaining: iceberg ? displayed + this.ex.orderHidden(o) : displayed,
      filled,
      status: filled > 0 ? 'partially-filled' : 'new',
      owner: v.orderOwner(o),
      stp: STP_CODES[v.orderStp(o)],
      postOnly: v.orderPostOnly(o),
    };
    const expiresAt = this.ex.orderExpiry(o);
    if (expiresAt !== 0) info.expiresAt = expiresAt;
    if (iceberg) {
      info.displayQty = this.ex.orderDisplayQty(o);
      info.displayed = displayed;
    }
    return info;
  }

  /**
   * Every resting order for a snapshot, straight from linear memory: a level
   * walk and each queue's links, no map lookup and no query object per order
   * (the public `levels`/`ordersAt`/`order` path took about 0.7 µs an order).
   */
  *restingOrders(): Generator<SnapshotOrder> {
    const { view: v, ex } = this;
    for (let s = 0; s < 2; s++) {
      const side = SIDE_CODES[s];
      for (let t = s === 0 ? ex.bestBidTick() : ex.bestAskTick(); t >= 0; t = ex.nextLevel(s, t)) {
        const price = this.minPrice + t;
        for (let o = v.levelHead(this.levelsBase + t * LEVEL_SIZE); o !== 0; o = v.orderNext(o)) {
          const shown = v.orderRem(o);
          const isIceberg = v.isIceberg(o);
          yield {
            id: v.orderId(o),
            side,
            price,
            remaining: isIceberg ? shown + v.icebergReserve(o) : shown,
            filled: v.orderFilled(o),
            owner: v.orderOwner(o),
            stp: STP_CODES[v.orderStp(o)],
            postOnly: v.orderPostOnly(o),
            expiresAt: v.orderExpiry(o),
            displayQty: isIceberg ? v.icebergDisplay(o) : 0,
            displayed: shown,
          };
        }
      }
    }
  }

  /**
   * Load a snapshot's state into the empty book: its time, last price, every
   * resting order and untriggered stop (a stop as the stop record the batch
   * API takes, written `stopAt` bytes past `cmdBase`), then its sequence.
   * @throws TickbookError CORRUPT_DATA for an order or stop the book cannot hold.
   */
  load(
    orders: Iterable<SnapshotOrder>,
    sequence: number,
    time: number,
    stops: Iterable<SnapshotStop>,
    lastPrice: number,
    u8: Uint8Array,
    f64: Float64Array,
    cmdBase: number,
    stopAt: number,
  ): void {
    const ex = this.ex;
    ex.putTime(time);
    ex.putLastPrice(lastPrice);
    for (const o of orders) {
      const ok = ex.restore(
        o.id,
        sideCode(o.side),
        o.price,
        o.remaining,
        o.filled,
        o.owner,
        STP_CODES.indexOf(o.stp),
        o.postOnly ? 1 : 0,
        o.expiresAt,
        o.displayQty,
        o.displayed,
      );
      if (!ok) throw new TickbookError('CORRUPT_DATA', `snapshot order ${o.id} cannot rest`, o.id);
    }
    for (const s of stops) {
      // a snapshot's 0 is "none"; a stop record leaves such a field out
      const order = { ...s, owner: s.owner || undefined, expiresAt: s.expiresAt || undefined };
      encodeStop(order, u8, f64, cmdBase + stopAt);
      if (!ex.restoreStopOrder(stopAt)) {
        throw new TickbookError('CORRUPT_DATA', `snapshot stop ${s.id} cannot be restored`, s.id);
      }
    }
    ex.putSequence(sequence);
  }
}
