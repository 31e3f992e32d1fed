/**
 * The TypeScript side of the matcher's binary interface: the numeric codes,
 * record offsets and geometry indexes come from `abi.ts`, which the build
 * generates from packages/matcher-wasm/assembly/abi.ts (nothing here is a
 * hand-made copy); this file adds the tables that name the codes.
 */
import type { ErrorCode } from '../errors';
import { ERROR_CODE_LIST } from '../errors';
import type { CancelReason, OrderType, Side, StpMode, TimeInForce } from '../types';
import {
  BUY,
  EV_ACCEPTED,
  EV_CANCELLED,
  EV_LEVEL,
  EV_MODIFIED,
  EV_REFRESHED,
  EV_REJECTED,
  EV_TIME,
  EV_TRADE,
  EV_TRIGGERED,
  FOK,
  GTC,
  IOC,
  R_EXPIRED,
  R_FOK_UNFILLED,
  R_POST_ONLY,
  R_REMAINDER,
  R_SELF_TRADE,
  R_USER,
  SELL,
  STP_CANCEL_BOTH,
  STP_CANCEL_NEWEST,
  STP_CANCEL_OLDEST,
  STP_DECREMENT_AND_CANCEL,
  T_LIMIT,
  T_MARKET,
  T_STOP_LIMIT,
  T_STOP_MARKET,
} from './abi';

export * from './abi';

/** A name per code: `table[code]` is the name of `code`. */
function namesByCode<T>(pairs: readonly (readonly [number, T])[]): readonly T[] {
  const out: T[] = [];
  for (const [code, name] of pairs) out[code] = name;
  return out;
}

/** Side codes: index = code. */
export const SIDE_CODES: readonly Side[] = namesByCode([
  [BUY, 'buy'],
  [SELL, 'sell'],
]);
/** Time-in-force codes: index = code. */
export const TIF_CODES: readonly TimeInForce[] = namesByCode([
  [GTC, 'GTC'],
  [IOC, 'IOC'],
  [FOK, 'FOK'],
]);
/** Self-trade prevention codes: index = code. */
export const STP_CODES: readonly StpMode[] = namesByCode([
  [STP_CANCEL_NEWEST, 'cancel-newest'],
  [STP_CANCEL_OLDEST, 'cancel-oldest'],
  [STP_CANCEL_BOTH, 'cancel-both'],
  [STP_DECREMENT_AND_CANCEL, 'decrement-and-cancel'],
]);
/** Cancel reasons: index = code. */
export const REASON_CODES: readonly CancelReason[] = namesByCode([
  [R_USER, 'user'],
  [R_REMAINDER, 'remainder'],
  [R_FOK_UNFILLED, 'fok-unfilled'],
  [R_SELF_TRADE, 'self-trade'],
  [R_POST_ONLY, 'post-only'],
  [R_EXPIRED, 'expired'],
]);
/** Order types of accepted events: index = code. */
export const ORDER_TYPE_CODES: readonly OrderType[] = namesByCode([
  [T_LIMIT, 'limit'],
  [T_MARKET, 'market'],
  [T_STOP_MARKET, 'stop-market'],
  [T_STOP_LIMIT, 'stop-limit'],
]);
/**
 * Error codes: the wasm numbers them by their index in
 * {@link ERROR_CODE_LIST} (its E_<CODE> constants are generated from it).
 */
export const WASM_ERROR_CODES: readonly ErrorCode[] = ERROR_CODE_LIST;

/** Event type names, index = code. */
export const EVENT_TYPE_CODES = namesByCode([
  [EV_ACCEPTED, 'accepted'],
  [EV_REJECTED, 'rejected'],
  [EV_TRADE, 'trade'],
  [EV_CANCELLED, 'cancelled'],
  [EV_MODIFIED, 'modified'],
  [EV_LEVEL, 'level-changed'],
  [EV_TIME, 'time-advanced'],
  [EV_REFRESHED, 'refreshed'],
  [EV_TRIGGERED, 'triggered'],
] as const);
