// Numeric codes shared with TypeScript. abi.ts exports them as wasm globals
// and the build writes them into packages/core/src/wasm/abi.ts: defined here
// only. The error codes come the other way, from core's errors.ts.

/** Largest safe integer, 2^53 - 1: the ceiling for prices, quantities and ids. */
export const MAX_SAFE: f64 = 9007199254740991.0;

/** An iceberg's open quantity is at most this many times its display quantity. */
export const MAX_ICEBERG_SLICES: f64 = 1000;

// ---- sides ----
export const BUY: i32 = 0;
export const SELL: i32 = 1;

/** Any enum value the wasm must refuse (unknown side, TIF, STP mode). */
export const INVALID_ENUM: i32 = 255;

// ---- post-only byte of an order command ----
export const POST_ONLY_NO: i32 = 0;
export const POST_ONLY_YES: i32 = 1;
export const POST_ONLY_INVALID: i32 = 2;

// ---- what an order slot holds (layout.ts `Order.kind`) ----
export const KIND_PLAIN: i32 = 0;
/** A resting iceberg: display quantity and reserve in its extra record. */
export const KIND_ICEBERG: i32 = 1;
/** An untriggered stop market order: trigger and stamp in its extra record. */
export const KIND_STOP_MARKET: i32 = 2;
/** An untriggered stop limit order: trigger and stamp in its extra record. */
export const KIND_STOP_LIMIT: i32 = 3;

// ---- time in force ----
export const GTC: i32 = 0;
export const IOC: i32 = 1;
export const FOK: i32 = 2;

/** A stop command's `tif` when none was given: GTC for a stop limit, IOC for a stop market. */
export const STOP_TIF_UNSET: i32 = 3;

// ---- self-trade prevention modes ----
export const STP_CANCEL_NEWEST: i32 = 0;
export const STP_CANCEL_OLDEST: i32 = 1;
export const STP_CANCEL_BOTH: i32 = 2;
export const STP_DECREMENT_AND_CANCEL: i32 = 3;
/** In a command: use the book's default mode. */
export const STP_DEFAULT: i32 = 254;

// ---- command kinds (batch records) ----
export const CMD_LIMIT: i32 = 0;
export const CMD_MARKET: i32 = 1;
export const CMD_CANCEL: i32 = 2;
export const CMD_MODIFY: i32 = 3;
/** Emit `rejected {id, code}` as is: for refusals only the JS side can see (INVALID_COMMAND, INVALID_TYPE). */
export const CMD_REJECT: i32 = 4;
/** Take quantity off a resting order, keeping its priority (`qty` = amount taken). */
export const CMD_REDUCE: i32 = 5;
/** Move the book's time (time in the record's `price` slot) and expire orders. */
export const CMD_ADVANCE_TIME: i32 = 6;
/** A stop order: trigger in the record's `displayQty` slot, limit price in `price` with STOP_HAS_PRICE in `mflags`. */
export const CMD_STOP: i32 = 7;
/** Stop command flag (`mflags`): a stop limit (`price` holds its limit price). */
export const STOP_HAS_PRICE: i32 = 1;

/**
 * Market sizing flags (command byte `mflags`; accepted-event `count` uses
 * MKT_NOTIONAL and MKT_PROTECTION). 0: sized by qty, no protection price.
 */
export const MKT_NOTIONAL: i32 = 1;
/** The command gave a qty as well as a notional (refused). */
export const MKT_QTY_TOO: i32 = 2;
export const MKT_PROTECTION: i32 = 4;
/** Accepted-event flag (`count`): a good-till-date limit order, `e` holds its expiry. */
export const ACC_EXPIRY: i32 = 8;
/** Accepted-event flag (`count`): an iceberg limit order, `f` holds its display quantity. */
export const ACC_DISPLAY: i32 = 16;
/** Accepted-event flag (`count`): a stop order, `f` holds its trigger. */
export const ACC_TRIGGER: i32 = 32;
/** Modified-event flags (`count`): an untriggered stop (`e` holds its trigger); a stop market (no price). */
export const MODEV_STOP: i32 = 1;
export const MODEV_NO_PRICE: i32 = 2;

/** Modify flags (command byte `flags`). */
export const MOD_HAS_PRICE: i32 = 1;
export const MOD_HAS_QTY: i32 = 2;
/** Modify of an untriggered stop's trigger (in the record's `owner` slot). */
export const MOD_HAS_TRIGGER: i32 = 4;

// ---- event types ----
/** Event type code (`EventCursor.type`, `typeAt`) of an `accepted` event. */
export const EV_ACCEPTED: i32 = 0;
/** Event type code of a `rejected` event (read its code with `EventCursor.errorCode`). */
export const EV_REJECTED: i32 = 1;
/** Event type code of a `trade` event. */
export const EV_TRADE: i32 = 2;
/** Event type code of a `cancelled` event. */
export const EV_CANCELLED: i32 = 3;
/** Event type code of a `modified` event. */
export const EV_MODIFIED: i32 = 4;
/** Event type code of a `level-changed` event (also exported as {@link EV_LEVEL_CHANGED}). */
export const EV_LEVEL: i32 = 5;
/** Event type code of a `time-advanced` event (also exported as {@link EV_TIME_ADVANCED}). */
export const EV_TIME: i32 = 6;
/** Event type code of a `refreshed` event (an iceberg showed more). */
export const EV_REFRESHED: i32 = 7;
/** Event type code of a `triggered` event (a stop fired). */
export const EV_TRIGGERED: i32 = 8;
/** Event type code of a `level-changed` event: `EV_` + the event's `type` in capitals, like the others. */
export const EV_LEVEL_CHANGED: i32 = EV_LEVEL;
/** Event type code of a `time-advanced` event: `EV_` + the event's `type` in capitals, like the others. */
export const EV_TIME_ADVANCED: i32 = EV_TIME;

// ---- cancel reasons ----
export const R_USER: i32 = 0;
export const R_REMAINDER: i32 = 1;
export const R_FOK_UNFILLED: i32 = 2;
export const R_SELF_TRADE: i32 = 3;
export const R_POST_ONLY: i32 = 4;
export const R_EXPIRED: i32 = 5;

// ---- order types (accepted events) ----
export const T_LIMIT: i32 = 0;
export const T_MARKET: i32 = 1;
export const T_STOP_MARKET: i32 = 2;
export const T_STOP_LIMIT: i32 = 3;

// ---- error codes: E_<CODE> is the index of CODE in core's ERROR_CODE_LIST,
// generated from packages/core/src/errors.ts by the build (error-codes.ts) ----
export * from './error-codes';
/** Not an error: validation passed. */
export const OK: i32 = -1;
