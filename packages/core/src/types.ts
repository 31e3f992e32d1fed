/**
 * Public types of tickbook: orders, commands, events and market-data views.
 * Prices are integer ticks and quantities integer lots (positive safe integers).
 * @packageDocumentation
 */

import type { ErrorCode } from './errors';

/** Which side of the book an order is on. */
export type Side = 'buy' | 'sell';

/** Limit orders carry a price; market orders take whatever liquidity there is. */
export type OrderType = 'limit' | 'market' | 'stop-market' | 'stop-limit';

/**
 * Time in force.
 * - `GTC`: good till cancelled; a limit order's remainder rests.
 * - `IOC`: immediate or cancel; match what is possible now, cancel the rest.
 * - `FOK`: fill or kill; fill the whole quantity now or do nothing at all.
 */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/**
 * Self-trade prevention mode, applied when an incoming order (taker) meets a
 * resting order (maker) with the same `owner`. The taker's mode decides.
 * - `cancel-newest`: cancel the taker's remaining quantity; matching stops.
 * - `cancel-oldest`: cancel the maker; matching goes on.
 * - `cancel-both`: cancel the maker and the taker's remainder; matching stops.
 * - `decrement-and-cancel`: reduce both by the smaller open quantity without a
 *   trade; whichever reaches zero is cancelled; matching goes on while the taker has quantity.
 */
export type StpMode = 'cancel-newest' | 'cancel-oldest' | 'cancel-both' | 'decrement-and-cancel';

/** Which matcher runs a book: `'wasm'` (default) or `'js'`, the pure-TypeScript reference engine. */
export type EngineKind = 'js' | 'wasm';

/** Configuration of one book (one instrument). */
export interface BookConfig {
  /** Lowest accepted limit price, in ticks (positive safe integer). */
  minPrice: number;
  /**
   * Highest accepted limit price, in ticks: a safe integer ≥ `minPrice`, with the band
   * `maxPrice − minPrice + 1` at most 16,777,216 ticks (`MAX_BAND_TICKS`).
   */
  maxPrice: number;
  /** Maximum number of resting orders the book holds (positive integer). */
  capacity: number;
  /**
   * Which matcher runs the book: `'wasm'` (the fast one) or `'js'` (the
   * pure-TypeScript reference, identical behaviour).
   * @defaultValue `'wasm'`
   */
  engine?: EngineKind;
  /**
   * Self-trade prevention mode for orders that do not name one.
   * @defaultValue `'cancel-newest'`
   */
  stpMode?: StpMode;
}

/** A new limit order. */
export interface LimitOrder {
  /** Caller-chosen id, a positive safe integer unique among live (resting) orders. */
  id: number;
  side: Side;
  /** Limit price in ticks, inside the book's band. */
  price: number;
  /** Quantity in lots. */
  qty: number;
  /** @defaultValue `'GTC'` */
  timeInForce?: TimeInForce;
  /** Refuse to take liquidity: cancelled with reason `post-only` if it would cross. Only with GTC. */
  postOnly?: boolean;
  /** Account id (positive safe integer) used for self-trade prevention. */
  owner?: number;
  /** Self-trade prevention mode; defaults to the book's `stpMode`. */
  stp?: StpMode;
  /**
   * Good-till-date: the book time (a positive safe integer in the caller's
   * unit) at which a resting remainder expires. GTC only. The book has no
   * clock: time moves only by {@link Book.advanceTime}, which cancels every
   * resting order with `expiresAt ≤` the new time (reason `expired`).
   */
  expiresAt?: number;
  /**
   * Iceberg: the quantity shown at a time (a positive safe integer below
   * `qty`; GTC only). The rest is a hidden reserve that never appears in
   * market data. See docs/semantics.md.
   */
  displayQty?: number;
}

/**
 * A new market order: takes liquidity up to `qty` lots, or up to `notional`
 * (Σ price × qty, in ticks × lots) when sized by quote amount; the remainder
 * is cancelled, never rests. Give exactly one of `qty` and `notional`.
 */
export interface MarketOrder {
  id: number;
  side: Side;
  /** Lots to take. Exactly one of `qty` and `notional`. */
  qty?: number;
  /**
   * Quote amount to spend (buy) or receive (sell) at most, in ticks × lots
   * (positive safe integer). At each maker the order takes
   * `min(maker open qty, floor(notionalLeft / price))` and stops at the
   * first maker where that is 0. Not with `FOK`.
   */
  notional?: number;
  /**
   * Worst price (ticks, inside the band) the order may trade at: matching
   * stops at the first level beyond it (buy: above, sell: below) and the
   * remainder is cancelled.
   */
  protectionPrice?: number;
  /** `IOC` (default) or `FOK`. A market order never rests, so `GTC` is refused. */
  timeInForce?: Exclude<TimeInForce, 'GTC'>;
  owner?: number;
  stp?: StpMode;
}

/**
 * A change to a resting order. `qty` is the new *open* (remaining) quantity.
 * Lowering qty at the same price keeps time priority; a price change or a qty
 * increase sends the order to the back of its (new) level, and a new price that
 * crosses the book matches like a new order.
 */
export interface ModifyRequest {
  id: number;
  /** New limit price; omitted keeps the current price. */
  price?: number;
  /** New open quantity; omitted keeps the current remaining quantity. */
  qty?: number;
  /** Untriggered stops only: new trigger price. */
  trigger?: number;
}

/**
 * Take quantity off a resting order without touching its place in the queue.
 * `qty` is the amount removed (not the new quantity); removing all of it or
 * more cancels the order.
 */
export interface ReduceRequest {
  id: number;
  /** Lots to take off the order's open quantity (positive safe integer). */
  qty: number;
}

/** A stop order: off-book until the last trade price reaches `trigger`. */
export interface StopOrder {
  id: number;
  side: Side;
  trigger: number;
  qty: number;
  /** Given: a stop limit at this price; omitted: a stop market. */
  price?: number;
  timeInForce?: TimeInForce;
  owner?: number;
  stp?: StpMode;
  expiresAt?: number;
}

/** A command for the batch API ({@link Book.apply}). */
export type Command =
  | ({ kind: 'limit' } & LimitOrder)
  | ({ kind: 'market' } & MarketOrder)
  | { kind: 'cancel'; id: number }
  | ({ kind: 'modify' } & ModifyRequest)
  | ({ kind: 'reduce' } & ReduceRequest)
  | { kind: 'advance-time'; time: number }
  | ({ kind: 'stop' } & StopOrder);

/** Why an order (or part of it) was cancelled. */
export type CancelReason =
  /** The caller cancelled it (`cancel`), or took quantity off it (`reduce`). */
  | 'user'
  /** The unfilled remainder of an IOC or market order. */
  | 'remainder'
  /** A FOK order that could not fill completely; nothing traded. */
  | 'fok-unfilled'
  /** Self-trade prevention. */
  | 'self-trade'
  /** A post-only order that would have taken liquidity; nothing traded. */
  | 'post-only'
  /** A good-till-date order whose `expiresAt` the book's time reached. */
  | 'expired';

/** An order was accepted for matching (it passed validation). */
export interface AcceptedEvent {
  type: 'accepted';
  id: number;
  side: Side;
  orderType: OrderType;
  /** Limit price; `null` for market orders. */
  price: number | null;
  /** Quantity in lots; `null` for a market order sized by `notional`. */
  qty: number | null;
  /**
   * Present only for a market order sized by quote amount: the notional to
   * spend (ticks × lots). Its own quantities (trade `takerRemaining`, its
   * `cancelled` `qty` / `remaining`) are then in notional units too.
   */
  notional?: number;
  /** Present only for a market order given a protection price. */
  protectionPrice?: number;
  /** Present only for a good-till-date limit order: when its resting part expires. */
  expiresAt?: number;
  /** An iceberg order's display quantity (present only for one). */
  displayQty?: number;
  /** A stop order's trigger price (present only for one). */
  trigger?: number;
}

/** A stop order fired: it enters the book now as a market or limit order. */
export interface TriggeredEvent {
  type: 'triggered';
  id: number;
  side: Side;
  orderType: 'market' | 'limit';
  price: number | null;
  qty: number;
  trigger: number;
}

/**
 * The book's time moved (`advanceTime`): opens that command's events, before
 * the `expired` cancels it causes.
 */
export interface TimeAdvancedEvent {
  type: 'time-advanced';
  /** The book's new time. */
  time: number;
}

/**
 * An iceberg order's shown part ran out and was refreshed from its hidden
 * reserve: it now shows `qty` and has moved to the back of its level.
 */
export interface RefreshedEvent {
  type: 'refreshed';
  id: number;
  side: Side;
  price: number;
  qty: number;
}

/** A command was refused; the book is unchanged. Only the batch API emits this. */
export interface RejectedEvent {
  type: 'rejected';
  /** Id named by the command, or 0 when it had none usable. */
  id: number;
  code: ErrorCode;
}

/** A match between a resting maker and an incoming taker, at the maker's price. */
export interface TradeEvent {
  type: 'trade';
  makerId: number;
  takerId: number;
  /** The taker's side. */
  takerSide: Side;
  price: number;
  qty: number;
  /** Maker's open quantity after this trade (0: fully filled, gone from the book). */
  makerRemaining: number;
  /**
   * Taker's open quantity after this trade; for a market order sized by
   * `notional`, the notional it has left (ticks × lots).
   */
  takerRemaining: number;
}

/** An order's open quantity was (partly) cancelled. */
export interface CancelledEvent {
  type: 'cancelled';
  id: number;
  reason: CancelReason;
  /** Quantity removed by this cancel. */
  qty: number;
  /**
   * Open quantity left afterwards; above 0 only for a partial cancel (a
   * `reduce`, or a self-trade decrement), where the order keeps its place.
   */
  remaining: number;
}

/** A resting order was modified. */
export interface ModifiedEvent {
  type: 'modified';
  id: number;
  side: Side;
  price: number | null;
  /** New open quantity. */
  qty: number;
  /** True when the order kept its place in the queue. */
  priorityKept: boolean;
  /** An untriggered stop: its (new) trigger. */
  trigger?: number;
}

/** A price level's total open quantity or order count changed (L2 update). */
export interface LevelChangedEvent {
  type: 'level-changed';
  side: Side;
  price: number;
  /** New total open quantity at the level (0: level is gone). */
  qty: number;
  /** New number of orders at the level. */
  count: number;
  /**
   * Sequence number of the command that caused the change: the book's
   * `sequence` once that command is applied. An L2 snapshot taken at
   * sequence S is brought up to date by the level changes with `sequence > S`.
   */
  sequence: number;
}

/** Everything a command can emit, in order. */
export type BookEvent =
  | TriggeredEvent
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | CancelledEvent
  | ModifiedEvent
  | LevelChangedEvent
  | TimeAdvancedEvent
  | RefreshedEvent;

/** One aggregated price level (L2). */
export interface Level {
  price: number;
  /** Total open quantity. */
  qty: number;
  /** Number of resting orders. */
  count: number;
}

/** One resting order as seen in a level's queue (L3). */
export interface RestingOrder {
  id: number;
  /** Open quantity. */
  qty: number;
  /** Owner, or 0 when the order has none. */
  owner: number;
}

/** State of a live (resting) order. Finished orders are not retained: their events tell their fate. */
export interface OrderInfo {
  id: number;
  side: Side;
  price: number | null;
  /** Open quantity. */
  remaining: number;
  /** Quantity filled since it was accepted. */
  filled: number;
  /** `'new'` until something fills, then `'partially-filled'`. */
  status: 'new' | 'partially-filled' | 'untriggered';
  /** An untriggered stop: its trigger price, and the time in force it will enter with. */
  trigger?: number;
  timeInForce?: TimeInForce;
  /** Owner, or 0 when the order has none. */
  owner: number;
  /** Self-trade prevention mode it uses when it takes liquidity (after a modify). */
  stp: StpMode;
  /** Whether it is post-only. */
  postOnly: boolean;
  /** Present only for a good-till-date order: when it expires. */
  expiresAt?: number;
  /** An iceberg order: its display quantity, and the part of `remaining` shown now (what market data sees). */
  displayQty?: number;
  displayed?: number;
}

/** Both sides' depth. */
export interface Depth {
  /** Best (highest) first. */
  bids: Level[];
  /** Best (lowest) first. */
  asks: Level[];
}
