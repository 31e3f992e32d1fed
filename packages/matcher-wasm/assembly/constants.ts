// Shared numeric codes. The TypeScript side (packages/core/src/wasm/codes.ts)
// mirrors every table here; a test checks both agree.

/** Largest safe integer, 2^53 - 1: the ceiling for prices, quantities and ids. */
export const MAX_SAFE: f64 = 9007199254740991.0;

/** An iceberg's open quantity is at most this many times its display quantity. */
export const MAX_ICEBERG_SLICES: f64 = 1000;

// ---- sides ----
export const BUY: i32 = 0;
export const SELL: i32 = 1;

// ---- time in force ----
export const GTC: i32 = 0;
export const IOC: i32 = 1;
export const FOK: i32 = 2;

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
/** Modify of an untriggered stop's trigger (in the record's `displayQty` slot). */
export const MOD_HAS_TRIGGER: i32 = 4;

// ---- event types ----
export const EV_ACCEPTED: i32 = 0;
export const EV_REJECTED: i32 = 1;
export const EV_TRADE: i32 = 2;
export const EV_CANCELLED: i32 = 3;
export const EV_MODIFIED: i32 = 4;
export const EV_LEVEL: i32 = 5;
export const EV_TIME: i32 = 6;
export const EV_REFRESHED: i32 = 7;
export const EV_TRIGGERED: i32 = 8;

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

// ---- error codes: the index of the code in core's ERROR_CODE_LIST ----
export const E_INVALID_ID: i32 = 0;
export const E_INVALID_SIDE: i32 = 1;
export const E_INVALID_TYPE: i32 = 2;
export const E_INVALID_TIF: i32 = 3;
export const E_INVALID_PRICE: i32 = 4;
export const E_PRICE_OUT_OF_BAND: i32 = 5;
export const E_INVALID_QTY: i32 = 6;
export const E_INVALID_OWNER: i32 = 7;
export const E_INVALID_STP_MODE: i32 = 8;
export const E_INVALID_POST_ONLY: i32 = 9;
export const E_DUPLICATE_ID: i32 = 10;
export const E_UNKNOWN_ORDER: i32 = 11;
export const E_BOOK_FULL: i32 = 12;
export const E_QTY_OVERFLOW: i32 = 13;
export const E_INVALID_NOTIONAL: i32 = 22;
export const E_QTY_AND_NOTIONAL: i32 = 23;
export const E_INVALID_EXPIRY: i32 = 24;
export const E_ALREADY_EXPIRED: i32 = 25;
export const E_INVALID_TIME: i32 = 26;
export const E_TIME_BACKWARDS: i32 = 27;
export const E_INVALID_DISPLAY: i32 = 28;
export const E_INVALID_TRIGGER: i32 = 29;
/** Not an error: validation passed. */
export const OK: i32 = -1;
