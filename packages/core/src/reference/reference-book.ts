/**
 * The reference matcher (`engine: 'js'`): plain TypeScript written to be
 * obviously correct. It is the oracle the WebAssembly engine is tested against;
 * every rule here is spelled out in docs/semantics.md.
 */
import type { Book } from '../book';
import type { ResolvedConfig } from '../config';
import { snapshotBook } from '../durability/snapshot';
import { stateHash } from '../durability/state-hash';
import { type ErrorCode, TickbookError } from '../errors';
import {
  acceptedEvent,
  acceptedMarketEvent,
  acceptedStopEvent,
  cancelledEvent,
  levelChangedEvent,
  modifiedEvent,
  refreshedEvent,
  rejectedEvent,
  timeAdvancedEvent,
  tradeEvent,
  triggeredEvent,
} from '../events';
import { RESTORE, type Restorable, type SnapshotOrder, type SnapshotStop } from '../internal';
import { refusal } from '../refusal';
import type {
  BookEvent,
  Command,
  Depth,
  Level,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  OrderInfo,
  ReduceRequest,
  RestingOrder,
  Side,
  StopOrder,
} from '../types';
import {
  checkBatch,
  checkCancel,
  checkLimit,
  checkMarket,
  checkModify,
  checkReduce,
  checkStop,
  checkTime,
  commandIdOf,
  MAX_ICEBERG_SLICES,
} from '../validate';
import { BookSide } from './book-side';
import { OrderNode, overflows, type PriceLevel, setHidden } from './order-queue';

/**
 * Matching returns true when self-trade prevention stopped it (the taker's
 * remainder is then cancelled), false when it ran out of quantity or liquidity.
 */
type StoppedBySelfTrade = boolean;

export class ReferenceBook implements Book, Restorable {
  readonly engine = 'js' as const;
  /** Commands applied so far (refused ones do not count). */
  sequence = 0;
  /** The book's time: moved only by advanceTime. */
  time = 0;
  /** Good-till-date orders by (expiresAt, id); lazy deletion (see popExpired). */
  private readonly expiries = new ExpiryHeap();
  private readonly bids: BookSide;
  private readonly asks: BookSide;
  private readonly orders = new Map<number, OrderNode>();
  /** Last trade price; 0 before the first trade. */
  private last = 0;
  /** Untriggered stops by trigger: buy stops lowest trigger first, sell stops highest first; FIFO per trigger. */
  private readonly buyStops: BookSide;
  private readonly sellStops: BookSide;
  /** Stops triggered by the running command, not yet entered (earliest triggered first). */
  private readonly pending: OrderNode[] = [];

  constructor(readonly config: ResolvedConfig) {
    const band = config.maxPrice - config.minPrice + 1;
    this.bids = new BookSide('buy', config.minPrice, band);
    this.asks = new BookSide('sell', config.minPrice, band);
    this.buyStops = new BookSide('sell', config.minPrice, band);
    this.sellStops = new BookSide('buy', config.minPrice, band);
  }

  get lastPrice(): number | undefined {
    return this.last === 0 ? undefined : this.last;
  }

  stop(order: StopOrder): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.placeStop(order, events), order?.id, events, order);
    return events;
  }

  get size(): number {
    return this.orders.size;
  }

  // ---- commands -------------------------------------------------------------

  limit(order: LimitOrder): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.placeLimit(order, events), order?.id, events, order);
    return events;
  }

  market(order: MarketOrder): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.placeMarket(order, events), order?.id, events, order);
    return events;
  }

  cancel(id: number): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.cancelOrder(id, events), id, events, id);
    return events;
  }

  modify(request: ModifyRequest): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.modifyOrder(request, events), request?.id, events, request);
    return events;
  }

  reduce(request: ReduceRequest): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.reduceOrder(request, events), request?.id, events, request);
    return events;
  }

  advanceTime(time: number): BookEvent[] {
    const events: BookEvent[] = [];
    this.settle(this.advanceTo(time, events), undefined, events, time);
    return events;
  }

  submit(command: Command): BookEvent[] {
    const events: BookEvent[] = [];
    this.applyOne(command, events);
    return events;
  }

  apply(commands: readonly Command[]): BookEvent[] {
    checkBatch(commands);
    const events: BookEvent[] = [];
    for (const command of commands) this.applyOne(command, events);
    return events;
  }

  /** Count an applied command, or throw for a refused one. */
  private settle(
    code: ErrorCode | undefined,
    id: unknown,
    events: BookEvent[],
    input: unknown,
  ): void {
    if (code) throw refusal(code, typeof id === 'number' ? id : undefined, input);
    this.runTriggered(events);
    this.sequence += 1;
  }

  /** Apply one batch command: refusals become a rejected event. */
  private applyOne(command: Command, events: BookEvent[]): void {
    const code = this.dispatch(command, events);
    if (code) events.push(rejectedEvent(commandIdOf(command), code));
    else {
      this.runTriggered(events);
      this.sequence += 1;
    }
  }

  snapshot(): Uint8Array {
    return snapshotBook(this);
  }

  stateHash(): string {
    return stateHash(this);
  }

  stops(): OrderInfo[] {
    const out: OrderInfo[] = [];
    for (const side of [this.buyStops, this.sellStops]) {
      for (const level of side.bestFirst()) {
        for (let o = level.head; o; o = o.next) out.push(this.order(o.id)!);
      }
    }
    return out;
  }

  [RESTORE](
    orders: Iterable<SnapshotOrder>,
    sequence: number,
    time: number,
    stops: Iterable<SnapshotStop>,
    lastPrice: number,
  ): void {
    this.time = time;
    this.last = lastPrice;
    for (const s of stops) {
      const unbounded = s.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      const node = new OrderNode(s.id, s.side, s.price ?? unbounded, s.qty, s.owner, s.stp, false);
      node.trigger = s.trigger;
      node.tif = s.timeInForce;
      node.expiresAt = s.expiresAt;
      if (this.orders.has(s.id) || this.reached(node, lastPrice)) {
        throw new TickbookError('CORRUPT_DATA', `snapshot stop ${s.id} cannot be restored`, s.id);
      }
      this.orders.set(s.id, node);
      if (s.expiresAt > 0) this.expiries.push(node);
      (s.side === 'buy' ? this.buyStops : this.sellStops).getOrCreate(s.trigger).append(node);
    }
    for (const o of orders) {
      const node = new OrderNode(o.id, o.side, o.price, o.remaining, o.owner, o.stp, o.postOnly);
      node.filled = o.filled;
      node.expiresAt = o.expiresAt;
      node.peak = o.displayQty;
      node.remaining = o.displayed;
      node.hidden = o.remaining - o.displayed;
      this.sideOf(o.side).getOrCreate(o.price).append(node);
      this.orders.set(o.id, node);
      if (o.expiresAt > 0) this.expiries.push(node);
    }
    this.sequence = sequence;
  }

  private dispatch(command: Command, events: BookEvent[]): ErrorCode | undefined {
    if (typeof command !== 'object' || command === null) return 'INVALID_COMMAND';
    switch (command.kind) {
      case 'limit':
        return this.placeLimit(command, events);
      case 'market':
        return this.placeMarket(command, events);
      case 'cancel':
        return this.cancelOrder(command.id, events);
      case 'modify':
        return this.modifyOrder(command, events);
      case 'reduce':
        return this.reduceOrder(command, events);
      case 'advance-time':
        return this.advanceTo(command.time, events);
      case 'stop':
        return this.placeStop(command, events);
      default:
        return 'INVALID_TYPE';
    }
  }

  // ---- command bodies: check everything, then change the book ---------------

  private placeLimit(order: LimitOrder, events: BookEvent[]): ErrorCode | undefined {
    if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
    const fieldError = checkLimit(order, this.config);
    if (fieldError) return fieldError;
    if (this.orders.has(order.id)) return 'DUPLICATE_ID';
    const expiresAt = order.expiresAt;
    if (expiresAt !== undefined && expiresAt <= this.time) return 'ALREADY_EXPIRED';
    const tif = order.timeInForce ?? 'GTC';
    if (tif === 'GTC') {
      if (this.orders.size >= this.config.capacity) return 'BOOK_FULL';
      const ownLevel = this.sideOf(order.side).get(order.price);
      if (overflows(ownLevel, order.qty)) return 'QTY_OVERFLOW';
    }
    const taker = new OrderNode(
      order.id,
      order.side,
      order.price,
      order.qty,
      order.owner ?? 0,
      order.stp ?? this.config.stpMode,
      order.postOnly === true,
    );
    taker.peak = order.displayQty ?? 0;
    events.push(
      acceptedEvent(
        order.id,
        order.side,
        'limit',
        order.price,
        order.qty,
        expiresAt,
        order.displayQty,
      ),
    );
    if (tif === 'FOK' && !this.fokFillable(taker)) {
      events.push(cancelledEvent(taker.id, 'fok-unfilled', taker.remaining, 0));
      return undefined;
    }
    this.enter(taker, tif === 'GTC', events);
    if (expiresAt !== undefined && this.orders.get(taker.id) === taker) {
      taker.expiresAt = expiresAt;
      this.expiries.push(taker);
      this.expiries.compact(this.orders);
    }
    return undefined;
  }

  private placeMarket(order: MarketOrder, events: BookEvent[]): ErrorCode | undefined {
    if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
    const fieldError = checkMarket(order, this.config);
    if (fieldError) return fieldError;
    if (this.orders.has(order.id)) return 'DUPLICATE_ID';
    const unbounded = order.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const { notional, protectionPrice } = order;
    const byNotional = notional !== undefined;
    const taker = new OrderNode(
      order.id,
      order.side,
      protectionPrice ?? unbounded,
      byNotional ? notional : (order.qty as number),
      order.owner ?? 0,
      order.stp ?? this.config.stpMode,
      false,
    );
    taker.byNotional = byNotional;
    events.push(
      acceptedMarketEvent(
        order.id,
        order.side,
        byNotional ? null : (order.qty as number),
        notional,
        protectionPrice,
      ),
    );
    if (order.timeInForce === 'FOK' && !this.fokFillable(taker)) {
      events.push(cancelledEvent(taker.id, 'fok-unfilled', taker.remaining, 0));
      return undefined;
    }
    this.enter(taker, false, events);
    return undefined;
  }

  private cancelOrder(id: number, events: BookEvent[]): ErrorCode | undefined {
    const fieldError = checkCancel(id);
    if (fieldError) return fieldError;
    const order = this.orders.get(id);
    if (!order) return 'UNKNOWN_ORDER';
    if (order.trigger > 0) {
      events.push(cancelledEvent(id, 'user', order.remaining, 0));
      this.removeStop(order);
      return undefined;
    }
    const level = order.level!;
    events.push(cancelledEvent(id, 'user', order.remaining + order.hidden, 0));
    this.removeResting(order);
    events.push(this.levelEvent(level));
    return undefined;
  }

  private modifyOrder(request: ModifyRequest, events: BookEvent[]): ErrorCode | undefined {
    if (typeof request !== 'object' || request === null) return 'INVALID_COMMAND';
    const fieldError = checkModify(request, this.config);
    if (fieldError) return fieldError;
    const order = this.orders.get(request.id);
    if (!order) return 'UNKNOWN_ORDER';
    if (order.trigger > 0) return this.modifyStop(order, request, events);
    if (request.trigger !== undefined) return 'INVALID_TRIGGER';
    const newPrice = request.price ?? order.price;
    const open = order.remaining + order.hidden;
    const newQty = request.qty ?? open;
    if (order.peak > 0 && newQty > order.peak * MAX_ICEBERG_SLICES) return 'INVALID_DISPLAY';
    const keeps = newPrice === order.price && newQty <= open;
    // keeping its level and not growing, it cannot take the level past the bound
    if (!keeps && overflows(this.sideOf(order.side).get(newPrice), newQty, order)) {
      return 'QTY_OVERFLOW';
    }

    const level = order.level!;
    if (keeps) {
      // an iceberg gives up its reserve first
      const drop = Math.max(0, order.remaining - newQty);
      setHidden(order, newQty - order.remaining + drop);
      order.remaining -= drop;
      level.total -= drop;
      events.push(modifiedEvent(order.id, order.side, newPrice, newQty, true));
      if (drop > 0) events.push(this.levelEvent(level));
      return undefined;
    }

    // Keep the id → order entry while it re-enters: deleting and re-adding the
    // same key leaves a deleted entry in the key's Map bucket every time, and
    // an order modified over and over would make every lookup of it slower.
    this.unlinkFromLevel(order);
    events.push(modifiedEvent(order.id, order.side, newPrice, newQty, false));
    events.push(this.levelEvent(level));
    order.price = newPrice;
    order.remaining = newQty;
    order.hidden = 0;
    this.enter(order, true, events);
    return undefined;
  }

  private reduceOrder(request: ReduceRequest, events: BookEvent[]): ErrorCode | undefined {
    if (typeof request !== 'object' || request === null) return 'INVALID_COMMAND';
    const fieldError = checkReduce(request);
    if (fieldError) return fieldError;
    const order = this.orders.get(request.id);
    if (!order) return 'UNKNOWN_ORDER';
    if (order.trigger > 0) {
      const taken = Math.min(request.qty, order.remaining);
      order.remaining -= taken;
      events.push(cancelledEvent(order.id, 'user', taken, order.remaining));
      if (order.remaining === 0) this.removeStop(order);
      return undefined;
    }
    const level = order.level!;
    const open = order.remaining + order.hidden;
    const taken = Math.min(request.qty, open);
    // an iceberg gives up its reserve first: the shown part drops only after it
    const fromHidden = Math.min(taken, order.hidden);
    setHidden(order, order.hidden - fromHidden);
    const drop = taken - fromHidden;
    if (drop > 0) this.reduceResting(order, drop);
    events.push(cancelledEvent(order.id, 'user', taken, open - taken));
    if (drop > 0) events.push(this.levelEvent(level));
    return undefined;
  }

  get nextExpiry(): number | undefined {
    // the heap keeps entries of orders that left since: drop them from the top
    for (let o = this.expiries.peek(); o; o = this.expiries.peek()) {
      if (this.orders.get(o.id) === o) return o.expiresAt;
      this.expiries.pop();
    }
    return undefined;
  }

  private advanceTo(time: number, events: BookEvent[]): ErrorCode | undefined {
    const fieldError = checkTime(time);
    if (fieldError) return fieldError;
    if (time < this.time) return 'TIME_BACKWARDS';
    this.time = time;
    events.push(timeAdvancedEvent(time));
    for (;;) {
      const order = this.expiries.peek();
      if (!order || order.expiresAt > time) break;
      this.expiries.pop();
      if (this.orders.get(order.id) !== order) continue; // gone already: a stale entry
      if (order.trigger > 0) {
        events.push(cancelledEvent(order.id, 'expired', order.remaining, 0));
        this.removeStop(order);
        continue;
      }
      const level = order.level!;
      events.push(cancelledEvent(order.id, 'expired', order.remaining + order.hidden, 0));
      this.removeResting(order);
      events.push(this.levelEvent(level));
    }
    return undefined;
  }

  // ---- matching ---------------------------------------------------------------

  /**
   * An accepted order (or a re-priced one) arrives: post-only check, match,
   * then rest or cancel the remainder.
   */
  private enter(taker: OrderNode, rests: boolean, events: BookEvent[]): void {
    if (taker.postOnly && this.crosses(taker)) {
      events.push(cancelledEvent(taker.id, 'post-only', taker.remaining, 0));
      this.orders.delete(taker.id);
      return;
    }
    const stopped = this.matchIncoming(taker, events);
    if (taker.remaining === 0) {
      this.orders.delete(taker.id); // a modified order still has its entry
      return;
    }
    if (stopped || !rests) {
      events.push(
        cancelledEvent(taker.id, stopped ? 'self-trade' : 'remainder', taker.remaining, 0),
      );
      this.orders.delete(taker.id);
    } else {
      this.restRemainder(taker, events);
    }
  }

  private matchIncoming(taker: OrderNode, events: BookEvent[]): StoppedBySelfTrade {
    const makers = this.oppositeOf(taker.side);
    for (;;) {
      const level = makers.best();
      if (!level || !acceptable(taker, level.price)) return false;
      // out of quantity, or a notional that affords nothing here: done
      if (takeable(taker, level.price) === 0) return false;
      if (this.matchLevel(taker, level, events)) return true;
    }
  }

  /** Match the taker against one level, oldest maker first; emits the level's change. */
  private matchLevel(taker: OrderNode, level: PriceLevel, events: BookEvent[]): StoppedBySelfTrade {
    let touched = false;
    let stopped = false;
    const price = level.price;
    while (level.head) {
      const cap = takeable(taker, price);
      if (cap === 0) break;
      const maker = level.head;
      if (isSelfTrade(taker, maker)) {
        const mode = taker.stp;
        if (mode === 'cancel-newest') {
          stopped = true;
          break;
        }
        touched = true;
        if (mode === 'decrement-and-cancel') {
          const d = Math.min(cap, maker.remaining);
          this.takeShown(maker, d);
          events.push(cancelledEvent(maker.id, 'self-trade', d, maker.remaining + maker.hidden));
          if (maker.remaining === 0 && maker.hidden > 0) this.refresh(maker, events);
          const used = taker.byNotional ? d * price : d;
          taker.remaining -= used;
          events.push(cancelledEvent(taker.id, 'self-trade', used, taker.remaining));
          continue;
        }
        events.push(cancelledEvent(maker.id, 'self-trade', maker.remaining + maker.hidden, 0));
        this.removeResting(maker);
        if (mode === 'cancel-both') {
          stopped = true;
          break;
        }
        continue;
      }
      touched = true;
      const qty = Math.min(cap, maker.remaining);
      taker.remaining -= taker.byNotional ? qty * price : qty;
      taker.filled += qty;
      maker.filled += qty;
      this.takeShown(maker, qty);
      events.push(
        tradeEvent(
          maker.id,
          taker.id,
          taker.side,
          level.price,
          qty,
          maker.remaining,
          taker.remaining,
        ),
      );
      if (maker.remaining === 0 && maker.hidden > 0) this.refresh(maker, events);
      this.onTrade(price);
    }
    if (touched) events.push(this.levelEvent(level));
    return stopped;
  }

  /** FOK pre-check: would matching fill the whole quantity? Changes nothing. */
  private fokFillable(taker: OrderNode): boolean {
    let need = taker.remaining;
    for (const level of this.oppositeOf(taker.side).bestFirst()) {
      if (!acceptable(taker, level.price)) return false;
      let hidden = 0;
      for (let maker = level.head; maker; maker = maker.next) {
        if (isSelfTrade(taker, maker)) {
          if (taker.stp === 'cancel-oldest') continue;
          return false;
        }
        need -= Math.min(need, maker.remaining);
        if (need === 0) return true;
        hidden += maker.hidden;
      }
      // nothing stops matching at this level: icebergs refresh until their reserves are gone
      need -= Math.min(need, hidden);
      if (need === 0) return true;
    }
    return false;
  }

  private crosses(taker: OrderNode): boolean {
    const best = this.oppositeOf(taker.side).best();
    return best !== undefined && acceptable(taker, best.price);
  }

  private restRemainder(order: OrderNode, events: BookEvent[]): void {
    if (order.peak > 0) {
      const open = order.remaining;
      order.remaining = Math.min(order.peak, open);
      order.hidden = open - order.remaining;
    }
    const level = this.sideOf(order.side).getOrCreate(order.price);
    level.append(order);
    this.orders.set(order.id, order);
    events.push(this.levelEvent(level));
  }

  // ---- book upkeep ------------------------------------------------------------

  /**
   * A maker loses `qty` of its shown part. It leaves the book at 0 unless it
   * is an iceberg with a reserve (the caller then refreshes it).
   */
  private takeShown(order: OrderNode, qty: number): void {
    if (qty === order.remaining && order.hidden > 0) {
      order.remaining = 0;
      order.level!.total -= qty;
      return;
    }
    this.reduceResting(order, qty);
  }

  /** An iceberg whose shown part ran out shows more from its reserve, at the back of its level. */
  private refresh(order: OrderNode, events: BookEvent[]): void {
    const level = order.level!;
    level.remove(order);
    const shown = Math.min(order.peak, order.hidden);
    order.hidden -= shown;
    order.remaining = shown;
    level.append(order);
    events.push(refreshedEvent(order.id, order.side, order.price, shown));
  }

  /** Lower a resting order's quantity; it leaves the book at 0. */
  private reduceResting(order: OrderNode, qty: number): void {
    if (qty === order.remaining) {
      this.removeResting(order);
      order.remaining = 0;
      return;
    }
    order.remaining -= qty;
    order.level!.total -= qty;
  }

  private removeResting(order: OrderNode): void {
    this.unlinkFromLevel(order);
    this.orders.delete(order.id);
  }

  private unlinkFromLevel(order: OrderNode): void {
    const level = order.level!;
    level.remove(order);
    if (level.count === 0) this.sideOf(level.side).drop(level);
  }

  /** A level's change, stamped with the sequence the command being applied will have. */
  private levelEvent(level: PriceLevel) {
    return levelChangedEvent(level.side, level.price, level.total, level.count, this.sequence + 1);
  }

  private sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  private oppositeOf(side: Side): BookSide {
    return side === 'buy' ? this.asks : this.bids;
  }

  // ---- stops ----------------------------------------------------------------

  private placeStop(order: StopOrder, events: BookEvent[]): ErrorCode | undefined {
    if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
    const fieldError = checkStop(order, this.config);
    if (fieldError) return fieldError;
    if (this.orders.has(order.id)) return 'DUPLICATE_ID';
    const expiresAt = order.expiresAt;
    if (expiresAt !== undefined && expiresAt <= this.time) return 'ALREADY_EXPIRED';
    if (this.orders.size >= this.config.capacity) return 'BOOK_FULL';
    const isLimit = order.price !== undefined;
    const unbounded = order.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const node = new OrderNode(
      order.id,
      order.side,
      order.price ?? unbounded,
      order.qty,
      order.owner ?? 0,
      order.stp ?? this.config.stpMode,
      false,
    );
    node.trigger = order.trigger;
    node.tif = order.timeInForce ?? (isLimit ? 'GTC' : 'IOC');
    events.push(
      acceptedStopEvent(
        order.id,
        order.side,
        order.price ?? null,
        order.qty,
        order.trigger,
        expiresAt,
      ),
    );
    this.orders.set(node.id, node);
    if (expiresAt !== undefined) {
      node.expiresAt = expiresAt;
      this.expiries.push(node);
      this.expiries.compact(this.orders);
    }
    this.armStop(node);
    return undefined;
  }

  private modifyStop(
    order: OrderNode,
    request: ModifyRequest,
    events: BookEvent[],
  ): ErrorCode | undefined {
    const isLimit = Number.isFinite(order.price);
    if (request.price !== undefined && !isLimit) return 'INVALID_PRICE';
    const trigger = request.trigger ?? order.trigger;
    const kept = trigger === order.trigger;
    if (request.price !== undefined) order.price = request.price;
    if (request.qty !== undefined) order.remaining = request.qty;
    events.push(
      modifiedEvent(
        order.id,
        order.side,
        isLimit ? order.price : null,
        order.remaining,
        kept,
        trigger,
      ),
    );
    if (!kept) {
      this.unlinkStop(order);
      order.trigger = trigger;
      this.armStop(order);
    }
    return undefined;
  }

  /** Is the stop's trigger reached by the last trade price? */
  private reached(order: OrderNode, price: number): boolean {
    return price > 0 && (order.side === 'buy' ? price >= order.trigger : price <= order.trigger);
  }

  /** Put a stop into its trigger list, or straight into the triggered queue when already reached. */
  private armStop(order: OrderNode): void {
    if (this.reached(order, this.last)) this.pending.push(order);
    else
      (order.side === 'buy' ? this.buyStops : this.sellStops)
        .getOrCreate(order.trigger)
        .append(order);
  }

  private unlinkStop(order: OrderNode): void {
    const level = order.level!;
    level.remove(order);
    if (level.count === 0) (order.side === 'buy' ? this.buyStops : this.sellStops).drop(level);
  }

  private removeStop(order: OrderNode): void {
    this.unlinkStop(order);
    this.orders.delete(order.id);
  }

  /** A trade printed at `price`: it is the last price; queue every stop it reaches, in crossing order. */
  private onTrade(price: number): void {
    this.last = price;
    for (
      let level = this.buyStops.best();
      level && level.price <= price;
      level = this.buyStops.best()
    ) {
      this.queueLevel(this.buyStops, level);
    }
    for (
      let level = this.sellStops.best();
      level && level.price >= price;
      level = this.sellStops.best()
    ) {
      this.queueLevel(this.sellStops, level);
    }
  }

  private queueLevel(side: BookSide, level: PriceLevel): void {
    for (let o = level.head; o; o = level.head) {
      level.remove(o);
      this.pending.push(o);
    }
    side.drop(level);
  }

  /** Enter the triggered stops, earliest triggered first; their trades may queue more. */
  private runTriggered(events: BookEvent[]): void {
    for (let i = 0; i < this.pending.length; i++) {
      const o = this.pending[i];
      const isLimit = Number.isFinite(o.price);
      events.push(triggeredEvent(o.id, o.side, isLimit ? o.price : null, o.remaining, o.trigger));
      o.trigger = 0;
      const rests = o.tif === 'GTC';
      if (rests) {
        if (overflows(this.sideOf(o.side).get(o.price), o.remaining)) {
          events.push(cancelledEvent(o.id, 'remainder', o.remaining, 0));
          this.orders.delete(o.id);
          continue;
        }
      }
      if (o.tif === 'FOK' && !this.fokFillable(o)) {
        events.push(cancelledEvent(o.id, 'fok-unfilled', o.remaining, 0));
        this.orders.delete(o.id);
        continue;
      }
      this.enter(o, rests, events);
    }
    this.pending.length = 0;
  }

  // ---- queries ----------------------------------------------------------------

  bestBid(): Level | undefined {
    const level = this.bids.best();
    return level && levelView(level);
  }

  bestAsk(): Level | undefined {
    const level = this.asks.best();
    return level && levelView(level);
  }

  levels(side: Side, limit?: number): Level[] {
    return [...this.sideOf(side).bestFirst(limit)].map(levelView);
  }

  depth(limit?: number): Depth {
    return { bids: this.levels('buy', limit), asks: this.levels('sell', limit) };
  }

  ordersAt(side: Side, price: number): RestingOrder[] {
    const out: RestingOrder[] = [];
    const level = this.sideOf(side).get(price);
    for (let o = level?.head ?? null; o; o = o.next) {
      out.push({ id: o.id, qty: o.remaining, owner: o.owner });
    }
    return out;
  }

  order(id: number): OrderInfo | undefined {
    const o = this.orders.get(id);
    if (!o) return undefined;
    if (o.trigger > 0) {
      return {
        id: o.id,
        side: o.side,
        price: Number.isFinite(o.price) ? o.price : null,
        remaining: o.remaining,
        filled: 0,
        status: 'untriggered',
        owner: o.owner,
        stp: o.stp,
        postOnly: false,
        ...(o.expiresAt > 0 ? { expiresAt: o.expiresAt } : {}),
        trigger: o.trigger,
        timeInForce: o.tif,
      };
    }
    return {
      id: o.id,
      side: o.side,
      price: o.price,
      remaining: o.remaining + o.hidden,
      filled: o.filled,
      status: o.filled > 0 ? 'partially-filled' : 'new',
      owner: o.owner,
      stp: o.stp,
      postOnly: o.postOnly,
      ...(o.expiresAt > 0 ? { expiresAt: o.expiresAt } : {}),
      ...(o.peak > 0 ? { displayQty: o.peak, displayed: o.remaining } : {}),
    };
  }
}

/**
 * Lots the taker can still take at `price`: its open quantity, or for a
 * notional order what its notional left affords (`floor(left / price)`).
 */
function takeable(taker: OrderNode, price: number): number {
  return taker.byNotional ? affordable(taker.remaining, price) : taker.remaining;
}

/** `floor(notional / price)`, exact for safe integers (the division may round up). */
export function affordable(notional: number, price: number): number {
  const q = Math.floor(notional / price);
  return q * price > notional ? q - 1 : q;
}

/**
 * Resting good-till-date orders, earliest `(expiresAt, id)` first: a binary
 * heap with lazy deletion (an order that left the book stays until it
 * reaches the top, or until {@link compact} drops it). Keys never change.
 */
class ExpiryHeap {
  private readonly heap: OrderNode[] = [];

  peek(): OrderNode | undefined {
    return this.heap[0];
  }

  push(node: OrderNode): void {
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    this.siftDown(0);
  }

  /** Drop stale entries once they outnumber the live orders (keeps memory bounded). */
  compact(live: Map<number, OrderNode>): void {
    const h = this.heap;
    if (h.length <= 2 * live.size + 64) return;
    const kept = h.filter((n) => live.get(n.id) === n);
    h.length = 0;
    h.push(...kept);
    for (let i = (h.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) return;
      const r = l + 1;
      const c = r < h.length && earlier(h[r], h[l]) ? r : l;
      if (!earlier(h[c], h[i])) return;
      [h[i], h[c]] = [h[c], h[i]];
      i = c;
    }
  }
}

function earlier(a: OrderNode, b: OrderNode): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.id < b.id);
}

/** Can the taker trade at this maker price? */
function acceptable(taker: OrderNode, price: number): boolean {
  return taker.side === 'buy' ? price <= taker.price : price >= taker.price;
}

function isSelfTrade(taker: OrderNode, maker: OrderNode): boolean {
  return taker.owner !== 0 && taker.owner === maker.owner;
}

function levelView(level: PriceLevel): Level {
  return { price: level.price, qty: level.total, count: level.count };
}
