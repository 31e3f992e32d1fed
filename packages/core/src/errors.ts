/**
 * Every refusal has a stable string code. The per-order API throws a
 * {@link TickbookError} carrying it; the batch API emits a `rejected` event with it.
 * Codes never change meaning; new ones may be added.
 */
export const ERROR_CODES = {
  /** `id` is not a positive safe integer. */
  INVALID_ID: 'Order id must be a positive safe integer',
  /** `side` is not `'buy'` or `'sell'`. */
  INVALID_SIDE: "Side must be 'buy' or 'sell'",
  /** Unknown command kind or order type. */
  INVALID_TYPE:
    "Command kind must be 'limit', 'market', 'stop', 'cancel', 'modify', 'reduce' or 'advance-time'",
  /** `timeInForce` is unknown, or not allowed for this order (GTC market, FOK notional market). */
  INVALID_TIF: "Time in force must be 'GTC', 'IOC' or 'FOK' (market orders: 'IOC' or 'FOK')",
  /** `price` is not a positive safe integer. */
  INVALID_PRICE: 'Price must be a positive safe integer number of ticks',
  /** `price` is outside the book's `[minPrice, maxPrice]` band. */
  PRICE_OUT_OF_BAND: "Price is outside the book's price band",
  /** `qty` is not a positive safe integer. */
  INVALID_QTY: 'Quantity must be a positive safe integer number of lots',
  /** `owner` is not a positive safe integer. */
  INVALID_OWNER: 'Owner must be a positive safe integer',
  /** `stp` is not a known self-trade prevention mode. */
  INVALID_STP_MODE:
    "Self-trade prevention mode must be 'cancel-newest', 'cancel-oldest', 'cancel-both' or 'decrement-and-cancel'",
  /** `postOnly` on a market order or with IOC/FOK, or not a boolean. */
  INVALID_POST_ONLY: 'Post-only applies to GTC limit orders only',
  /** Another live order already has this id. */
  DUPLICATE_ID: 'A live order with this id already exists',
  /** Cancel, modify or reduce of an id that is not resting. */
  UNKNOWN_ORDER: 'No resting order has this id',
  /** A GTC limit order arrived while the book holds `capacity` resting orders. */
  BOOK_FULL: 'The book holds its maximum number of resting orders',
  /**
   * Resting the order would let its price level come to hold more than
   * 2^53-1 lots, counting the hidden reserves of the icebergs resting there
   * (a level can come to show all of them).
   */
  QTY_OVERFLOW:
    "The price level's total quantity, hidden iceberg reserves included, would exceed 2^53-1 lots",
  /** The book configuration is invalid. */
  INVALID_CONFIG: 'Invalid book configuration',
  /** A batch command is not an object with a known `kind`. */
  INVALID_COMMAND:
    "Command must be an object with kind 'limit', 'market', 'stop', 'cancel', 'modify', 'reduce' or 'advance-time'",
  /** Engine registry: no book with this symbol, or the symbol is taken. */
  UNKNOWN_SYMBOL: 'No book is registered under this symbol',
  DUPLICATE_SYMBOL: 'A book is already registered under this symbol',
  /** A snapshot or journal fails its checksum or structure checks. */
  CORRUPT_DATA: 'Snapshot or journal data is corrupt',
  /** A snapshot or journal was written by an unknown format version. */
  UNSUPPORTED_VERSION: 'Snapshot or journal format version is not supported',
  /** A snapshot and a journal, or the files and the requested config, describe different books. */
  CONFIG_MISMATCH: 'The snapshot, the journal or the requested config describe different books',
  /** The journal misses commands between the snapshot and its first record, or between records. */
  JOURNAL_GAP: 'The journal has a gap in its sequence numbers',
  /** A market order's `notional` is not a positive safe integer. */
  INVALID_NOTIONAL: 'Notional must be a positive safe integer number of ticks × lots',
  /** A market order gives both `qty` and `notional`. */
  QTY_AND_NOTIONAL: 'A market order gives either qty or notional, not both',
  /** `expiresAt` is not a positive safe integer, or is given with IOC/FOK. */
  INVALID_EXPIRY: 'expiresAt must be a positive safe integer, on a GTC limit order',
  /** A good-till-date order arrived with `expiresAt` at or before the book's time. */
  ALREADY_EXPIRED: "expiresAt is not after the book's current time",
  /** `advanceTime`'s time is not a non-negative safe integer. */
  INVALID_TIME: 'Time must be a non-negative safe integer',
  /** `advanceTime` to a time before the book's current time. */
  TIME_BACKWARDS: "Time cannot go back: the new time is before the book's current time",
  /**
   * `displayQty` is not a positive safe integer below `qty`, `qty` is more
   * than 1,000 × `displayQty`, or it is given with IOC/FOK; or a modify would
   * give an iceberg more than 1,000 × its `displayQty`.
   */
  INVALID_DISPLAY:
    'displayQty must be a positive safe integer below qty and at least qty / 1000, on a GTC limit order',
  /** A stop's `trigger` is not a positive safe integer inside the band, or a modify gives a trigger to an order that is not an untriggered stop. */
  INVALID_TRIGGER: 'trigger must be a positive safe integer inside the band, on a stop order',
  /** A journaled book's journal write failed earlier: it takes no more commands (recover it from its files). */
  JOURNAL_FAILED: 'The journal could not be written; recover the book from its files',
  /**
   * A WASM book met a fault inside its matcher (a trap) part-way through a
   * command: it marked itself failed and takes no more commands (restore it
   * from a snapshot or its journal). Not expected to happen: it is the
   * guard that keeps a matcher bug from leaving a half-applied book in use.
   */
  ENGINE_FAILED: 'The matching engine failed part-way through a command; restore the book',
  /**
   * The WebAssembly matcher could not be loaded: `matcher.wasm` is not next
   * to tickbook's code (a bundle that left it behind), or bytes given to
   * `setMatcher` are not it. The message says what to do.
   */
  MATCHER_NOT_FOUND: 'The WebAssembly matcher (matcher.wasm) could not be loaded',
} as const;

/** Stable error code string. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes in a fixed order; the index is the numeric code used in binary event records. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

const MARKER = Symbol.for('tickbook.TickbookError');

/**
 * The one error class tickbook throws for refused input. The book is left exactly
 * as it was before the refused command.
 *
 * @example
 * ```ts
 * try { book.cancel(42); } catch (e) { if (isTickbookError(e) && e.code === 'UNKNOWN_ORDER') {} }
 * ```
 */
export class TickbookError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Order id the refused command named, when it had one. */
  readonly orderId: number | undefined;

  constructor(code: ErrorCode, detail?: string, orderId?: number) {
    super(detail ? `${code}: ${ERROR_CODES[code]} (${detail})` : `${code}: ${ERROR_CODES[code]}`);
    this.name = 'TickbookError';
    this.code = code;
    this.orderId = orderId;
  }

  /** Marker so errors from another copy of the package are recognised too. */
  get [MARKER](): true {
    return true;
  }
}

/** True for a {@link TickbookError}, including one from another copy of the package. */
export function isTickbookError(e: unknown): e is TickbookError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARKER] === true;
}
