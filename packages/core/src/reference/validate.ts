/**
 * Validation, one function per command: checks only, nothing is changed
 * (docs/semantics.md, "Validation (first failing check wins)"; the level bound
 * of "Iceberg orders"; the stop-modify rules of "Modify"). Each returns the
 * first failing check's code, or undefined when the command may be applied:
 * the checks of its fields first, then the checks against the book, in the
 * order of the validation table (../validation-order.ts).
 */
import { type ResolvedConfig, STP_MODES } from '../config';
import type { ErrorCode } from '../errors';
import type { LimitOrder, MarketOrder, ModifyRequest, ReduceRequest, StopOrder } from '../types';
import { isPositiveSafeInt, MAX_ICEBERG_SLICES } from '../validate';
import { overflows } from './icebergs';
import { type BookState, sideOf } from './state';

// ---- field checks, in the table's order ----

function isSide(s: unknown): boolean {
  return s === 'buy' || s === 'sell';
}

function checkPrice(price: unknown, config: ResolvedConfig): ErrorCode | undefined {
  if (!isPositiveSafeInt(price)) return 'INVALID_PRICE';
  if (price < config.minPrice || price > config.maxPrice) return 'PRICE_OUT_OF_BAND';
  return undefined;
}

function checkOwnerAndStp(order: { owner?: unknown; stp?: unknown }): ErrorCode | undefined {
  if (order.owner !== undefined && !isPositiveSafeInt(order.owner)) return 'INVALID_OWNER';
  if (order.stp !== undefined && !STP_MODES.includes(order.stp as never)) {
    return 'INVALID_STP_MODE';
  }
  return undefined;
}

/** Field checks of a limit order. */
function checkLimit(order: LimitOrder, config: ResolvedConfig): ErrorCode | undefined {
  if (!isPositiveSafeInt(order.id)) return 'INVALID_ID';
  if (!isSide(order.side)) return 'INVALID_SIDE';
  const priceError = checkPrice(order.price, config);
  if (priceError) return priceError;
  if (!isPositiveSafeInt(order.qty)) return 'INVALID_QTY';
  const tif = order.timeInForce;
  if (tif !== undefined && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return 'INVALID_TIF';
  const postOnly = order.postOnly;
  if (postOnly !== undefined && typeof postOnly !== 'boolean') return 'INVALID_POST_ONLY';
  if (postOnly === true && tif !== undefined && tif !== 'GTC') return 'INVALID_POST_ONLY';
  const ownerError = checkOwnerAndStp(order);
  if (ownerError) return ownerError;
  if (order.expiresAt !== undefined) {
    if (!isPositiveSafeInt(order.expiresAt) || (tif !== undefined && tif !== 'GTC')) {
      return 'INVALID_EXPIRY';
    }
  }
  if (order.displayQty !== undefined) {
    const d = order.displayQty;
    if (
      !isPositiveSafeInt(d) ||
      d >= order.qty ||
      order.qty > d * MAX_ICEBERG_SLICES ||
      (tif !== undefined && tif !== 'GTC')
    ) {
      return 'INVALID_DISPLAY';
    }
  }
  return undefined;
}

/** Field checks of an advance-time command. */
function checkTime(time: unknown): ErrorCode | undefined {
  return typeof time === 'number' && Number.isSafeInteger(time) && time >= 0
    ? undefined
    : 'INVALID_TIME';
}

/** Field checks of a market order. */
function checkMarket(order: MarketOrder, config: ResolvedConfig): ErrorCode | undefined {
  if (!isPositiveSafeInt(order.id)) return 'INVALID_ID';
  if (!isSide(order.side)) return 'INVALID_SIDE';
  const byNotional = order.notional !== undefined;
  if (!byNotional) {
    if (!isPositiveSafeInt(order.qty)) return 'INVALID_QTY';
  } else {
    if (order.qty !== undefined) return 'QTY_AND_NOTIONAL';
    if (!isPositiveSafeInt(order.notional)) return 'INVALID_NOTIONAL';
  }
  if (order.protectionPrice !== undefined) {
    const priceError = checkPrice(order.protectionPrice, config);
    if (priceError) return priceError;
  }
  const tif = order.timeInForce;
  if (tif !== undefined && tif !== 'IOC' && tif !== 'FOK') return 'INVALID_TIF';
  if (tif === 'FOK' && byNotional) return 'INVALID_TIF';
  const postOnly = (order as { postOnly?: unknown }).postOnly;
  if (postOnly !== undefined && postOnly !== false) return 'INVALID_POST_ONLY';
  return checkOwnerAndStp(order);
}

/** Field checks of a cancel. */
function checkCancel(id: unknown): ErrorCode | undefined {
  return isPositiveSafeInt(id) ? undefined : 'INVALID_ID';
}

/** Field checks of a modify. */
function checkModify(request: ModifyRequest, config: ResolvedConfig): ErrorCode | undefined {
  if (!isPositiveSafeInt(request.id)) return 'INVALID_ID';
  if (request.price !== undefined) {
    const priceError = checkPrice(request.price, config);
    if (priceError) return priceError;
  }
  if (request.qty !== undefined && !isPositiveSafeInt(request.qty)) return 'INVALID_QTY';
  if (request.trigger !== undefined && !inBand(request.trigger, config)) return 'INVALID_TRIGGER';
  return undefined;
}

function inBand(x: unknown, config: ResolvedConfig): boolean {
  return isPositiveSafeInt(x) && x >= config.minPrice && x <= config.maxPrice;
}

/** Field checks of a stop order. */
function checkStop(order: StopOrder, config: ResolvedConfig): ErrorCode | undefined {
  if (!isPositiveSafeInt(order.id)) return 'INVALID_ID';
  if (!isSide(order.side)) return 'INVALID_SIDE';
  if (!inBand(order.trigger, config)) return 'INVALID_TRIGGER';
  if (order.price !== undefined) {
    const priceError = checkPrice(order.price, config);
    if (priceError) return priceError;
  }
  if (!isPositiveSafeInt(order.qty)) return 'INVALID_QTY';
  const tif = order.timeInForce;
  if (tif !== undefined && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return 'INVALID_TIF';
  if (tif === 'GTC' && order.price === undefined) return 'INVALID_TIF';
  const ownerError = checkOwnerAndStp(order);
  if (ownerError) return ownerError;
  if (order.expiresAt !== undefined && !isPositiveSafeInt(order.expiresAt)) return 'INVALID_EXPIRY';
  return undefined;
}

/** Field checks of a reduce. */
function checkReduce(request: ReduceRequest): ErrorCode | undefined {
  if (!isPositiveSafeInt(request.id)) return 'INVALID_ID';
  if (!isPositiveSafeInt(request.qty)) return 'INVALID_QTY';
  return undefined;
}

// ---- whole commands: the field checks, then the book ----

export function validateLimit(state: BookState, order: LimitOrder): ErrorCode | undefined {
  if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
  const fieldError = checkLimit(order, state.config);
  if (fieldError) return fieldError;
  if (state.orders.has(order.id)) return 'DUPLICATE_ID';
  const expiresAt = order.expiresAt;
  if (expiresAt !== undefined && expiresAt <= state.time) return 'ALREADY_EXPIRED';
  if ((order.timeInForce ?? 'GTC') === 'GTC') {
    if (state.orders.size >= state.config.capacity) return 'BOOK_FULL';
    const ownLevel = sideOf(state, order.side).get(order.price);
    if (overflows(ownLevel, order.qty)) return 'QTY_OVERFLOW';
  }
  return undefined;
}

export function validateMarket(state: BookState, order: MarketOrder): ErrorCode | undefined {
  if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
  const fieldError = checkMarket(order, state.config);
  if (fieldError) return fieldError;
  if (state.orders.has(order.id)) return 'DUPLICATE_ID';
  return undefined;
}

export function validateStop(state: BookState, order: StopOrder): ErrorCode | undefined {
  if (typeof order !== 'object' || order === null) return 'INVALID_COMMAND';
  const fieldError = checkStop(order, state.config);
  if (fieldError) return fieldError;
  if (state.orders.has(order.id)) return 'DUPLICATE_ID';
  const expiresAt = order.expiresAt;
  if (expiresAt !== undefined && expiresAt <= state.time) return 'ALREADY_EXPIRED';
  if (state.orders.size >= state.config.capacity) return 'BOOK_FULL';
  return undefined;
}

export function validateCancel(state: BookState, id: number): ErrorCode | undefined {
  const fieldError = checkCancel(id);
  if (fieldError) return fieldError;
  if (!state.orders.has(id)) return 'UNKNOWN_ORDER';
  return undefined;
}

export function validateModify(state: BookState, request: ModifyRequest): ErrorCode | undefined {
  if (typeof request !== 'object' || request === null) return 'INVALID_COMMAND';
  const fieldError = checkModify(request, state.config);
  if (fieldError) return fieldError;
  const order = state.orders.get(request.id);
  if (!order) return 'UNKNOWN_ORDER';
  if (order.trigger > 0) {
    // an untriggered stop: a stop market has no price to change; nothing more
    if (request.price !== undefined && !Number.isFinite(order.price)) return 'INVALID_PRICE';
    return undefined;
  }
  if (request.trigger !== undefined) return 'INVALID_TRIGGER';
  const newPrice = request.price ?? order.price;
  const newQty = request.qty ?? order.remaining + order.hidden;
  if (order.peak > 0 && newQty > order.peak * MAX_ICEBERG_SLICES) return 'INVALID_DISPLAY';
  const keeps = newPrice === order.price && newQty <= order.remaining + order.hidden;
  // keeping its level and not growing, it cannot take the level past the bound
  if (!keeps && overflows(sideOf(state, order.side).get(newPrice), newQty, order)) {
    return 'QTY_OVERFLOW';
  }
  return undefined;
}

export function validateReduce(state: BookState, request: ReduceRequest): ErrorCode | undefined {
  if (typeof request !== 'object' || request === null) return 'INVALID_COMMAND';
  const fieldError = checkReduce(request);
  if (fieldError) return fieldError;
  if (!state.orders.has(request.id)) return 'UNKNOWN_ORDER';
  return undefined;
}

export function validateAdvance(state: BookState, time: number): ErrorCode | undefined {
  const fieldError = checkTime(time);
  if (fieldError) return fieldError;
  if (time < state.time) return 'TIME_BACKWARDS';
  return undefined;
}
