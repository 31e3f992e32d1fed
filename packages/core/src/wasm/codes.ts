/**
 * The TypeScript mirror of packages/matcher-wasm/assembly/constants.ts and of
 * the record layouts in assembly/layout.ts. `test/wasm-layout.test.ts` checks
 * each table against the compiled module.
 */
import type { ErrorCode } from '../errors';
import { ERROR_CODE_LIST } from '../errors';
import type { CancelReason, OrderType, Side, StpMode, TimeInForce } from '../types';

/** Side codes: index = code. */
export const SIDE_CODES: readonly Side[] = ['buy', 'sell'];
/** Time-in-force codes: index = code. */
export const TIF_CODES: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
/** Self-trade prevention codes: index = code. */
export const STP_CODES: readonly StpMode[] = [
  'cancel-newest',
  'cancel-oldest',
  'cancel-both',
  'decrement-and-cancel',
];
/** Cancel reasons: index = code. */
export const REASON_CODES: readonly CancelReason[] = [
  'user',
  'remainder',
  'fok-unfilled',
  'self-trade',
  'post-only',
  'expired',
];
/** Order types of accepted events: index = code. */
export const ORDER_TYPE_CODES: readonly OrderType[] = [
  'limit',
  'market',
  'stop-market',
  'stop-limit',
];
/** Error codes: the wasm numbers them by their index in {@link ERROR_CODE_LIST}. */
export const WASM_ERROR_CODES: readonly ErrorCode[] = ERROR_CODE_LIST;

/** Self-trade mode code meaning "the book's default". */
export const STP_DEFAULT = 254;

/** Any enum value the wasm must refuse (unknown side, TIF, STP mode). */
export const INVALID_ENUM = 255;

/** Post-only encodings of order commands. */
export const POST_ONLY_NO = 0;
export const POST_ONLY_YES = 1;
export const POST_ONLY_INVALID = 2;

/** Command kinds of the batch command record. */
export const CMD_LIMIT = 0;
export const CMD_MARKET = 1;
export const CMD_CANCEL = 2;
export const CMD_MODIFY = 3;
export const CMD_REJECT = 4;
export const CMD_REDUCE = 5;
export const CMD_ADVANCE_TIME = 6;
/** A stop order: trigger in the `displayQty` slot (@48); STOP_HAS_PRICE in `mflags` when `price` holds a limit price. */
export const CMD_STOP = 7;
export const STOP_HAS_PRICE = 1;

/**
 * Market sizing flags (command byte `mflags` @6; the accepted event's `count`
 * carries MKT_NOTIONAL and MKT_PROTECTION). 0: sized by qty, no protection.
 */
export const MKT_NOTIONAL = 1;
/** The command gave a qty as well as a notional (refused with QTY_AND_NOTIONAL). */
export const MKT_QTY_TOO = 2;
export const MKT_PROTECTION = 4;
/** Byte offset of `mflags` in a command record. */
export const CMD_MFLAGS = 6;
/** Accepted-event flag (`count`): a good-till-date limit order; field `e` holds its expiry. */
export const ACC_EXPIRY = 8;
/** Accepted-event flag (`count`): an iceberg limit order; field `f` holds its display quantity. */
export const ACC_DISPLAY = 16;
/** Accepted-event flag (`count`): a stop order; field `f` holds its trigger. */
export const ACC_TRIGGER = 32;
/** Modified-event flags (`count`): an untriggered stop (`e`: trigger); a stop market (no price). */
export const MODEV_STOP = 1;
export const MODEV_NO_PRICE = 2;

/** Modify flags. */
export const MOD_HAS_PRICE = 1;
export const MOD_HAS_QTY = 2;
/** Modify of a stop's trigger (in the record's `displayQty` slot). */
export const MOD_HAS_TRIGGER = 4;

/** Event type code (`EventCursor.type`, `typeAt`) of an `accepted` event. */
export const EV_ACCEPTED = 0;
/** Event type code of a `rejected` event (read its code with `EventCursor.errorCode`). */
export const EV_REJECTED = 1;
/** Event type code of a `trade` event. */
export const EV_TRADE = 2;
/** Event type code of a `cancelled` event. */
export const EV_CANCELLED = 3;
/** Event type code of a `modified` event. */
export const EV_MODIFIED = 4;
/** Event type code of a `level-changed` event (also exported as {@link EV_LEVEL_CHANGED}). */
export const EV_LEVEL = 5;
/** Event type code of a `time-advanced` event (also exported as {@link EV_TIME_ADVANCED}). */
export const EV_TIME = 6;
/** Event type code of a `refreshed` event (an iceberg showed more). */
export const EV_REFRESHED = 7;
/** Event type code of a `triggered` event (a stop fired). */
export const EV_TRIGGERED = 8;
/** Event type code of a `level-changed` event: `EV_` + the event's `type` in capitals, like the others. */
export const EV_LEVEL_CHANGED = EV_LEVEL;
/** Event type code of a `time-advanced` event: `EV_` + the event's `type` in capitals, like the others. */
export const EV_TIME_ADVANCED = EV_TIME;

/** Event type names, index = code. */
export const EVENT_TYPE_CODES = [
  'accepted',
  'rejected',
  'trade',
  'cancelled',
  'modified',
  'level-changed',
  'time-advanced',
  'refreshed',
  'triggered',
] as const;

// ---- record layouts (bytes) ----
/**
 * Order record: `id f64 @0, rem f64 @8, filled f64 @16, owner f64 @24,
 * prev u32 @32, next u32 @36, tick i32 @40, side u8 @44, stp u8 @45, postOnly u8 @46,
 * iceberg u8 @47`.
 */
export const ORDER_SIZE = 48;
export const ORDER_ID = 0;
export const ORDER_REM = 8;
export const ORDER_FILLED = 16;
export const ORDER_OWNER = 24;
export const ORDER_PREV = 32;
export const ORDER_NEXT = 36;
export const ORDER_TICK = 40;
export const ORDER_SIDE = 44;
export const ORDER_STP = 45;
export const ORDER_POST_ONLY = 46;
/** 1 for an iceberg: its display quantity and reserve are in the iceberg region (`GEO_ICEBERG`). */
export const ORDER_ICEBERG = 47;

/** Level record: `total f64 @0, head u32 @8, tail u32 @12, count u32 @16, side u32 @20`. */
export const LEVEL_SIZE = 24;
export const LEVEL_TOTAL = 0;
export const LEVEL_HEAD = 8;
export const LEVEL_COUNT = 16;
export const LEVEL_SIDE = 20;

/**
 * Command record, 16 to 56 bytes, packed one after another: header `kind u8
 * @0, side @1, tif @2, flags @3, stp @4, code @5, mflags @6, words @7`, then
 * f64 fields `id @8, price @16, qty @24, owner @32, expiresAt @40,
 * displayQty @48`. `words` is the record's size in 8-byte words (2-7): trailing
 * fields that are zero are left out and read as 0, so a cancel takes 16 bytes
 * and a plain limit order 32. A reduce uses `id` and `qty` (the amount taken
 * off); a market order with MKT_NOTIONAL has its notional in `qty`, with
 * MKT_PROTECTION its protection price in `price`; a modify its new trigger in
 * `owner`; a stop its trigger in `displayQty`; an advance-time its time in
 * `price`. `expiresAt`: a limit or stop order's expiry (0 none, NaN invalid);
 * `displayQty`: a limit order's iceberg display quantity (0 none, NaN invalid).
 */
export const CMD_SIZE = 56;
/** Smallest command record: the header and `id`. */
export const CMD_MIN_SIZE = 16;
/** Offset of the record's size in 8-byte words. */
export const CMD_WORDS = 7;
export const CMD_EXPIRES_AT = 40;
export const CMD_DISPLAY_QTY = 48;
export const CMD_ID = 8;
export const CMD_PRICE = 16;
export const CMD_QTY = 24;
export const CMD_OWNER = 32;

/**
 * Event record: `type u8 @0, side @1, aux @2, count u32 @4, a..f f64 @8..@48`
 * (a id/makerId, b takerId/level sequence, c price, d qty, e remaining/makerRemaining, f takerRemaining).
 */
export const EV_SIZE = 56;
export const EV_COUNT = 4;
export const EV_A = 8;
export const EV_F = 48;

/**
 * Bits table (at geometry `GEO_BITS_TABLE`): word counts, seqlock i32,
 * readers-waiting i32 (written by readers, read by the JS writer), published sequence f64.
 */
export const BITS_WORDS = 32;
export const BITS_SEQLOCK = 48;
export const BITS_READERS_WAITING = 52;
export const BITS_SEQUENCE = 56;
/** Event field `b`: taker id (trade), command sequence (level-changed). */
export const EV_B = 16;

/** Geometry indexes of the wasm `geometry(i)` export. */
export const GEO_LEVELS = 0;
export const GEO_ORDERS = 1;
export const GEO_COMMANDS = 2;
export const GEO_EVENTS = 3;
export const GEO_END = 4;
export const GEO_CMD_REGION = 5;
export const GEO_EV_SOFT_LIMIT = 6;
export const GEO_TICKS = 7;
export const GEO_CAPACITY = 8;
export const GEO_SLOTS_TOUCHED = 9;
export const GEO_FREE_HEAD = 10;
export const GEO_MAP_SIZE = 11;
export const GEO_BITS_TABLE = 12;
export const GEO_BIT_LEVELS = 13;
export const GEO_EXPIRY = 14;
export const GEO_HEAP_POS = 15;
export const GEO_HEAP = 16;
export const GEO_ICEBERG = 17;
