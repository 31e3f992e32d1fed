/**
 * A consumer that rebuilds the whole book from events alone, checking every
 * event against what it knows as it goes. Tests use it to prove that events
 * fully describe what happened, that price-time priority holds (every trade's
 * maker is the oldest order at the best opposite price), that trades print at
 * the maker's price, and that quantity is conserved per order. Icebergs:
 * level totals and L3 quantities must be exactly the shown parts (hidden
 * reserves never appear in market data), and an iceberg whose shown part runs
 * out while it has a reserve must be refreshed at once, to the back of its level.
 */
import type { BookEvent, Level, Side } from '../../src/index';
import type { BookDump, LevelDump } from './book-state';

interface ModelOrder {
  id: number;
  side: Side;
  price: number;
  remaining: number;
  owner: number;
  /** Quantity that entered the book through accepts and modifies (BigInt: sums pass 2^53). */
  qtyIn: bigint;
  filled: bigint;
  cancelled: bigint;
  /** A market order sized by notional: `remaining`, filled and cancelled count ticks × lots. */
  byNotional: boolean;
  /** Good-till-date expiry (0: none). */
  expiresAt: number;
  /**
   * Iceberg display quantity (0: none) and hidden reserve. A resting
   * iceberg's `remaining` is its shown part; its reserve is known only from
   * its own accepted event and never from market data.
   */
  peak: number;
  hidden: number;
}

/** An untriggered stop, known from its accepted, modified and cancelled events. */
interface ModelStop {
  order: ModelOrder;
  trigger: number;
  /** Enters as a limit order (stop limit) or a market order. */
  isLimit: boolean;
}

export class EventModel {
  private readonly resting = new Map<number, ModelOrder>();
  /** Untriggered stops: off-book, never in market data. */
  private readonly stops = new Map<number, ModelStop>();
  /** Last trade price from trade events (0: none yet). */
  lastPrice = 0;
  private readonly queues = { buy: new Map<number, number[]>(), sell: new Map<number, number[]>() };
  /** Orders that finished (filled or cancelled), kept for the conservation check. */
  readonly finished: ModelOrder[] = [];
  /** L2 kept from level-changed events alone, as a market-data consumer would. */
  private readonly l2 = { buy: new Map<number, Level>(), sell: new Map<number, Level>() };
  /** Commands applied so far, counted from the events: what the book's `sequence` must be. */
  sequence = 0;
  /** The book's time, from time-advanced events. */
  time = 0;

  /**
   * Apply one command's events. `owner` is the command's owner (events do not
   * repeat it; L3 views carry it). Throws on the first inconsistency.
   */
  applyCommand(events: readonly BookEvent[], owner = 0): void {
    let taker: ModelOrder | undefined;
    let takerClosed = false;
    let restLevelEvent = -1;
    /** advance-time: the orders that must expire, in order; and those that did. */
    let dueToExpire: number[] | undefined;
    const expired: number[] = [];
    /** An iceberg whose shown part just ran out with a reserve left: the next event must refresh it. */
    let mustRefresh: ModelOrder | undefined;
    /** The last price before the command, then every trade price of it. */
    const seen = [this.lastPrice];
    // An applied command's events open with accepted, cancelled or modified; a refusal emits none here.
    if (events.length > 0 && events[0].type !== 'rejected') this.sequence += 1;
    events.forEach((e, i) => {
      if (mustRefresh && e.type !== 'refreshed')
        fail(`iceberg ${mustRefresh.id} was not refreshed`);
      switch (e.type) {
        case 'accepted':
          if (this.resting.has(e.id) || this.stops.has(e.id)) {
            fail(`accepted duplicate live id ${e.id}`);
          }
          if (e.orderType === 'stop-market' || e.orderType === 'stop-limit') {
            if (i !== 0 || e.trigger === undefined || e.qty === null) fail('bad stop accepted');
            const order: ModelOrder = {
              id: e.id,
              side: e.side,
              price: e.price ?? (e.side === 'buy' ? Infinity : -Infinity),
              remaining: e.qty as number,
              owner,
              qtyIn: BigInt(e.qty as number),
              filled: 0n,
              cancelled: 0n,
              byNotional: false,
              expiresAt: e.expiresAt ?? 0,
              peak: 0,
              hidden: 0,
            };
            this.stops.set(e.id, {
              order,
              trigger: e.trigger as number,
              isLimit: e.orderType === 'stop-limit',
            });
            break;
          }
          if ((e.qty === null) === (e.notional === undefined)) {
            fail(`accepted ${e.id} must give exactly one of qty and notional`);
          }
          if (
            e.orderType === 'limit' &&
            (e.notional !== undefined || e.protectionPrice !== undefined)
          ) {
            fail(`accepted limit ${e.id} carries market-only fields`);
          }
          taker = {
            id: e.id,
            side: e.side,
            price: e.protectionPrice ?? e.price ?? Number.NaN,
            remaining: e.qty ?? (e.notional as number),
            owner,
            qtyIn: BigInt(e.qty ?? (e.notional as number)),
            filled: 0n,
            cancelled: 0n,
            byNotional: e.qty === null,
            expiresAt: e.expiresAt ?? 0,
            peak: e.displayQty ?? 0,
            hidden: 0,
          };
          if (e.displayQty !== undefined && !(e.displayQty > 0 && e.displayQty < (e.qty ?? 0))) {
            fail(`iceberg ${e.id} accepted with displayQty ${e.displayQty}, qty ${e.qty}`);
          }
          if (e.expiresAt !== undefined && e.expiresAt <= this.time) {
            fail(`order ${e.id} accepted with expiresAt ${e.expiresAt} at time ${this.time}`);
          }
          break;
        case 'rejected':
          break;
        case 'triggered': {
          const stop = this.stops.get(e.id) ?? fail(`triggered ${e.id} is not an untriggered stop`);
          this.stops.delete(e.id);
          // reached by the last price before the command or by one of its trades so far
          const reached = seen.some(
            (p) => p > 0 && (e.side === 'buy' ? p >= stop.trigger : p <= stop.trigger),
          );
          if (!reached || e.trigger !== stop.trigger || e.side !== stop.order.side) {
            fail(`stop ${e.id} triggered at last price ${this.lastPrice}, trigger ${stop.trigger}`);
          }
          if (e.qty !== stop.order.remaining || (e.orderType === 'limit') !== stop.isLimit) {
            fail(`triggered ${e.id} does not match its stop`);
          }
          this.closeTaker(taker, takerClosed, restLevelEvent, events);
          taker = stop.order;
          takerClosed = false;
          restLevelEvent = -1;
          break;
        }
        case 'time-advanced': {
          if (i !== 0) fail('time-advanced does not open its command');
          if (e.time < this.time) fail(`time went back from ${this.time} to ${e.time}`);
          this.time = e.time;
          dueToExpire = [...this.resting.values()]
            .concat([...this.stops.values()].map((st) => st.order))
            .filter((o) => o.expiresAt > 0 && o.expiresAt <= e.time)
            .sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id)
            .map((o) => o.id);
          break;
        }
        case 'trade': {
          if (!taker || taker.id !== e.takerId)
            fail(`trade taker ${e.takerId} is not the incoming order`);
          const t = taker as ModelOrder;
          const maker =
            this.resting.get(e.makerId) ?? fail(`trade maker ${e.makerId} is not resting`);
          const best = this.bestPrice(maker.side);
          const head = this.queues[maker.side].get(best)?.[0];
          if (maker.price !== best || head !== maker.id) {
            fail(`trade maker ${maker.id} is not the oldest order at the best ${maker.side} price`);
          }
          if (e.price !== maker.price)
            fail(`trade printed at ${e.price}, maker price ${maker.price}`);
          if (maker.expiresAt > 0 && maker.expiresAt <= this.time) {
            fail(`maker ${maker.id} traded after it expired (${maker.expiresAt} ≤ ${this.time})`);
          }
          if (e.takerSide !== t.side) fail('trade takerSide is wrong');
          if (t.side === 'buy' ? e.price > t.price : e.price < t.price) {
            fail(`trade at ${e.price} beyond taker limit ${t.price}`);
          }
          const takeable = t.byNotional ? Math.floor(t.remaining / e.price) : t.remaining;
          if (e.qty !== Math.min(takeable, maker.remaining)) {
            fail(`trade of ${e.qty} is not min(taker ${takeable}, maker ${maker.remaining})`);
          }
          const takerUsed = t.byNotional ? e.qty * e.price : e.qty;
          maker.remaining -= e.qty;
          maker.filled += BigInt(e.qty);
          t.remaining -= takerUsed;
          t.filled += BigInt(takerUsed);
          this.lastPrice = e.price;
          seen.push(e.price);
          if (maker.remaining !== e.makerRemaining || t.remaining !== e.takerRemaining) {
            fail(`trade remaining quantities disagree (maker ${maker.id}, taker ${t.id})`);
          }
          if (e.qty <= 0) fail('trade with non-positive quantity');
          if (maker.remaining === 0) {
            if (maker.hidden > 0) mustRefresh = maker;
            else this.removeResting(maker);
          }
          break;
        }
        case 'refreshed': {
          const order = mustRefresh ?? fail(`refreshed ${e.id} out of place`);
          mustRefresh = undefined;
          if (order.id !== e.id || e.side !== order.side || e.price !== order.price) {
            fail(`refreshed ${e.id}, expected ${order.id}`);
          }
          if (e.qty !== Math.min(order.peak, order.hidden)) {
            fail(`iceberg ${e.id} refreshed to ${e.qty}, not min(${order.peak}, ${order.hidden})`);
          }
          order.hidden -= e.qty;
          order.remaining = e.qty;
          // to the back of its level
          const queue = this.queues[order.side].get(order.price)!;
          queue.splice(queue.indexOf(order.id), 1);
          queue.push(order.id);
          break;
        }
        case 'cancelled': {
          const stop = this.stops.get(e.id);
          if (stop && !(taker && taker.id === e.id && !takerClosed)) {
            if (e.reason !== 'user' && e.reason !== 'expired')
              fail(`stop ${e.id} cancelled: ${e.reason}`);
            if (e.reason === 'expired') {
              if (!dueToExpire || e.remaining !== 0)
                fail(`stop ${e.id} expired outside advance-time`);
              expired.push(e.id);
            }
            const so = stop.order;
            if (so.remaining - e.qty !== e.remaining || e.qty <= 0)
              fail(`stop ${e.id} cancel quantities`);
            so.cancelled += BigInt(e.qty);
            so.remaining = e.remaining;
            if (e.remaining === 0) {
              this.stops.delete(e.id);
              this.finish(so);
            }
            break;
          }
          const order =
            taker && taker.id === e.id && !takerClosed
              ? taker
              : (this.resting.get(e.id) ?? fail(`cancelled unknown order ${e.id}`));
          if (e.reason === 'expired') {
            if (!dueToExpire || order === taker || e.remaining !== 0) {
              fail(`expired cancel of ${e.id} outside an advance-time, or partial`);
            }
            expired.push(e.id);
          }
          // quantities in cancelled events are all the order has open, reserve included
          const open = order.remaining + order.hidden;
          order.cancelled += BigInt(e.qty);
          if (open - e.qty !== e.remaining || e.qty <= 0) {
            fail(`cancel of ${e.id} leaves ${open - e.qty}, event says ${e.remaining}`);
          }
          if (e.remaining === 0) {
            order.remaining = 0;
            order.hidden = 0;
          } else if (e.reason === 'self-trade' && order !== taker) {
            // decrement-and-cancel takes from the shown part, like a trade
            if (e.qty > order.remaining)
              fail(`self-trade decrement of ${e.id} beyond its shown part`);
            order.remaining -= e.qty;
            if (order.remaining === 0) mustRefresh = order;
          } else {
            // reduce (and a taker's decrement): from the reserve first
            const fromHidden = Math.min(e.qty, order.hidden);
            order.hidden -= fromHidden;
            order.remaining -= e.qty - fromHidden;
          }
          if (order === taker) {
            if (e.remaining === 0) takerClosed = true;
          } else if (e.remaining === 0) {
            this.removeResting(order);
          }
          break;
        }
        case 'modified': {
          const stop = this.stops.get(e.id);
          if (stop) {
            if (e.trigger === undefined || (e.price === null) === stop.isLimit)
              fail('bad stop modify');
            if (e.priorityKept !== (e.trigger === stop.trigger)) fail('stop priority flag wrong');
            stop.order.qtyIn += BigInt(e.qty) - BigInt(stop.order.remaining);
            stop.order.remaining = e.qty;
            if (e.price !== null) stop.order.price = e.price;
            stop.trigger = e.trigger;
            break;
          }
          if (e.trigger !== undefined || e.price === null)
            fail(`modified ${e.id}: stop fields on an order`);
          const order = this.resting.get(e.id) ?? fail(`modified unknown order ${e.id}`);
          const open = order.remaining + order.hidden;
          order.qtyIn += BigInt(e.qty) - BigInt(open);
          if (e.priorityKept) {
            if (e.price !== order.price || e.qty > open) fail('priority kept wrongly');
            // an iceberg gives up its reserve first
            if (e.qty >= order.remaining) order.hidden = e.qty - order.remaining;
            else {
              order.remaining = e.qty;
              order.hidden = 0;
            }
          } else {
            this.removeResting(order, false);
            order.price = e.price as number;
            order.remaining = e.qty;
            order.hidden = 0;
            taker = order;
          }
          break;
        }
        case 'level-changed':
          if (e.sequence !== this.sequence) {
            fail(`level-changed carries sequence ${e.sequence}, command ${this.sequence}`);
          }
          if (e.count === 0) this.l2[e.side].delete(e.price);
          else this.l2[e.side].set(e.price, { price: e.price, qty: e.qty, count: e.count });
          if (
            (i === events.length - 1 || events[i + 1].type === 'triggered') &&
            taker &&
            !takerClosed &&
            taker.remaining > 0 &&
            e.side === taker.side &&
            e.price === taker.price
          ) {
            restLevelEvent = i;
          } else {
            this.checkLevel(e.side, e.price, e.qty, e.count);
          }
          break;
      }
    });
    if (mustRefresh) fail(`iceberg ${mustRefresh.id} was not refreshed`);
    if (dueToExpire && dueToExpire.join() !== expired.join()) {
      fail(`advance-time expired [${expired}], due [${dueToExpire}]`);
    }
    this.closeTaker(taker, takerClosed, restLevelEvent, events);
    // every stop the last price reaches has triggered
    for (const stop of this.stops.values()) {
      const side = stop.order.side;
      if (
        this.lastPrice > 0 &&
        (side === 'buy' ? this.lastPrice >= stop.trigger : this.lastPrice <= stop.trigger)
      ) {
        fail(
          `stop ${stop.order.id} (trigger ${stop.trigger}) is reached by ${this.lastPrice} but did not trigger`,
        );
      }
    }
  }

  /** The incoming order's run of events ended: it rests (its level change was the run's last event) or is done. */
  private closeTaker(
    taker: ModelOrder | undefined,
    takerClosed: boolean,
    restLevelEvent: number,
    events: readonly BookEvent[],
  ): void {
    const t = taker;
    if (t && !takerClosed && t.remaining > 0) {
      if (restLevelEvent < 0)
        fail(`order ${t.id} has quantity left but neither rested nor cancelled`);
      this.rest(t);
      const e = events[restLevelEvent];
      if (e.type === 'level-changed') this.checkLevel(e.side, e.price, e.qty, e.count);
    } else if (t) {
      this.finish(t);
    }
  }

  /** Ids of the untriggered stops (any order). */
  stopIds(): number[] {
    return [...this.stops.keys()].sort((a, b) => a - b);
  }

  /** The book as the events describe it, in the shape of `dumpBook`. */
  dump(): BookDump {
    const side = (s: Side): LevelDump[] => {
      const prices = [...this.queues[s].keys()].sort((a, b) => (s === 'buy' ? b - a : a - b));
      return prices.map((price) => {
        const ids = this.queues[s].get(price)!;
        const orders = ids.map((id) => {
          const o = this.resting.get(id)!;
          return { id, qty: o.remaining, owner: o.owner };
        });
        return { price, qty: orders.reduce((a, o) => a + o.qty, 0), count: ids.length, orders };
      });
    };
    return { size: this.resting.size + this.stops.size, bids: side('buy'), asks: side('sell') };
  }

  /** L2 built from level-changed events only, best first. */
  feedDepth(): { bids: Level[]; asks: Level[] } {
    const side = (s: Side) =>
      [...this.l2[s].values()].sort((a, b) =>
        s === 'buy' ? b.price - a.price : a.price - b.price,
      );
    return { bids: side('buy'), asks: side('sell') };
  }

  /** Every order: quantity in = filled + cancelled + still resting. */
  checkConservation(): void {
    const stops = [...this.stops.values()].map((st) => st.order);
    for (const o of [...this.resting.values(), ...stops, ...this.finished]) {
      if (o.qtyIn !== o.filled + o.cancelled + BigInt(o.remaining + o.hidden)) {
        fail(
          `order ${o.id}: ${o.qtyIn} in != ${o.filled} filled + ${o.cancelled} cancelled + ${o.remaining + o.hidden} open`,
        );
      }
    }
  }

  private bestPrice(side: Side): number {
    let best = side === 'buy' ? -Infinity : Infinity;
    for (const p of this.queues[side].keys())
      best = side === 'buy' ? Math.max(best, p) : Math.min(best, p);
    return best;
  }

  private checkLevel(side: Side, price: number, qty: number, count: number): void {
    const ids = this.queues[side].get(price) ?? [];
    const total = ids.reduce((a, id) => a + this.resting.get(id)!.remaining, 0);
    if (total !== qty || ids.length !== count) {
      fail(
        `level-changed ${side} ${price}: says ${qty}/${count}, events give ${total}/${ids.length}`,
      );
    }
  }

  private rest(order: ModelOrder): void {
    if (order.peak > 0) {
      const open = order.remaining + order.hidden;
      order.remaining = Math.min(order.peak, open);
      order.hidden = open - order.remaining;
    }
    this.resting.set(order.id, order);
    const queue = this.queues[order.side].get(order.price);
    if (queue) queue.push(order.id);
    else this.queues[order.side].set(order.price, [order.id]);
  }

  private removeResting(order: ModelOrder, finished = true): void {
    this.resting.delete(order.id);
    const queue = this.queues[order.side].get(order.price)!;
    queue.splice(queue.indexOf(order.id), 1);
    if (queue.length === 0) this.queues[order.side].delete(order.price);
    if (finished) this.finish(order);
  }

  private finish(order: ModelOrder): void {
    this.finished.push(order);
  }
}

function fail(message: string): never {
  throw new Error(`event stream inconsistent: ${message}`);
}
