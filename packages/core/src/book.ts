import type {
  BookConfig,
  BookEvent,
  Command,
  Depth,
  EngineKind,
  Level,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  OrderInfo,
  ReduceRequest,
  RestingOrder,
  Side,
  StopOrder,
} from './types';

/**
 * One instrument's order book. Every engine implements this interface with the
 * same behaviour, event for event (see `docs/semantics.md`).
 *
 * Commands return the events they caused, in order. A refused command throws a
 * {@link TickbookError} and leaves the book exactly as it was.
 */
export interface Book {
  /** Which matcher runs this book. */
  readonly engine: EngineKind;
  /** The configuration the book was created with (defaults filled in). */
  readonly config: Readonly<Required<BookConfig>>;

  /**
   * Place a limit order. GTC remainders rest; IOC remainders are cancelled; FOK
   * fills completely or does nothing.
   * @returns the events it caused: `accepted`, then trades, cancels and level changes.
   * @throws {@link TickbookError} on invalid input, a duplicate id, a full book.
   */
  limit(order: LimitOrder): BookEvent[];

  /**
   * Place a market order: it takes liquidity up to `qty`, any remainder is cancelled.
   * @throws {@link TickbookError} on invalid input or a duplicate id.
   */
  market(order: MarketOrder): BookEvent[];

  /**
   * Cancel a resting order by id.
   * @throws {@link TickbookError} `UNKNOWN_ORDER` when no resting order has this id.
   */
  cancel(id: number): BookEvent[];

  /**
   * Change a resting order's price and/or open quantity (see {@link ModifyRequest}).
   * @throws {@link TickbookError} `UNKNOWN_ORDER`, or invalid price/qty.
   */
  modify(request: ModifyRequest): BookEvent[];

  /**
   * Take `qty` lots off a resting order, always keeping its time priority;
   * taking all of its open quantity (or more) cancels it. Emits
   * `cancelled {reason:'user', qty: taken, remaining}` then `level-changed`.
   * @throws {@link TickbookError} `INVALID_ID`, `INVALID_QTY`, `UNKNOWN_ORDER`.
   */
  reduce(request: ReduceRequest): BookEvent[];
  /** Place a stop market (no `price`) or stop limit order: off-book until the last trade price reaches `trigger`. */
  stop(order: StopOrder): BookEvent[];
  /** Price of the book's last trade; `undefined` before the first. */
  readonly lastPrice: number | undefined;
  /**
   * The earliest `expiresAt` of the good-till-date orders and stops resting,
   * `undefined` when none: when a clock driving {@link advanceTime} next has
   * something to do (the book itself has no clock).
   */
  readonly nextExpiry: number | undefined;
  /** Untriggered stops (`order(id)` of each) in trigger order: buy stops lowest trigger first, then sell stops highest first; ties by arming. */
  stops(): OrderInfo[];

  /**
   * Move the book's time to `time` (a non-negative safe integer, never
   * backwards): emits `time-advanced`, then cancels every resting order with
   * `expiresAt ≤ time` (reason `expired`), earliest expiry first, then lowest
   * id, each followed by its `level-changed`. The book has no clock of its own.
   * @throws {@link TickbookError} `INVALID_TIME`, `TIME_BACKWARDS`.
   */
  advanceTime(time: number): BookEvent[];

  /** The book's current time (0 until the first {@link advanceTime}). */
  readonly time: number;

  /**
   * Apply one command without throwing: a refusal is returned as a single
   * `rejected` event. The fast per-order path for callers that expect refusals
   * (throwing costs microseconds; this costs nothing extra).
   */
  submit(command: Command): BookEvent[];

  /**
   * Apply many commands in order. Refused commands do not throw: they emit a
   * `rejected` event with the error code, and the batch goes on.
   * @throws {@link TickbookError} `INVALID_COMMAND` when `commands` is not an
   * array (use {@link Book.submit} for one command); nothing is applied.
   */
  apply(commands: readonly Command[]): BookEvent[];

  /** Best (highest) bid level, or `undefined` when there are no bids. */
  bestBid(): Level | undefined;
  /** Best (lowest) ask level, or `undefined` when there are no asks. */
  bestAsk(): Level | undefined;
  /**
   * L2 depth of one side, best first.
   * @param limit - at most this many levels; omitted: all levels.
   */
  levels(side: Side, limit?: number): Level[];
  /** L2 depth of both sides, best first. */
  depth(limit?: number): Depth;
  /** L3: the orders resting at one price, in priority order (empty when none). */
  ordersAt(side: Side, price: number): RestingOrder[];
  /** A resting order's state, or `undefined` when no resting order has this id. */
  order(id: number): OrderInfo | undefined;
  /** Number of resting orders. */
  readonly size: number;
  /** Number of commands applied so far; refused commands do not count. */
  readonly sequence: number;

  /**
   * The book's full state as versioned, checksummed bytes (the same format for
   * every engine); `restoreBook(bytes)` rebuilds it.
   */
  snapshot(): Uint8Array;
  /** A 16-hex-digit fingerprint of the full state: equal books have equal hashes. */
  stateHash(): string;
}
