/**
 * Validation, one function per command: checks only, nothing is changed
 * (docs/semantics.md, "Validation (first failing check wins)"; the level bound
 * of "Iceberg orders"; the stop-modify rules of "Modify"). Each returns the
 * first failing check's code, or undefined when the command may be applied:
 * the field checks of core's `../validate` first, then the checks against the
 * book, in the order the semantics fix.
 */
import type { ErrorCode } from '../errors';
import type { LimitOrder, MarketOrder, ModifyRequest, ReduceRequest, StopOrder } from '../types';
import {
  checkCancel,
  checkLimit,
  checkMarket,
  checkModify,
  checkReduce,
  checkStop,
  checkTime,
  MAX_ICEBERG_SLICES,
} from '../validate';
import { overflows } from './icebergs';
import { type BookState, sideOf } from './state';

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
