/**
 * Stateless input checks shared by every engine. Each returns the first failing
 * error code in the order docs/semantics.md fixes, or `undefined` when the input
 * is well-formed. Checks that need the book (duplicate id, unknown order, full
 * book, level overflow) belong to the engines.
 */
import type { ResolvedConfig } from './config';
import { STP_MODES } from './config';
import { describeValue } from './describe';
import { type ErrorCode, TickbookError } from './errors';
import type { LimitOrder, MarketOrder, ModifyRequest, ReduceRequest, StopOrder } from './types';

/**
 * An iceberg's open quantity is at most this many times its display quantity,
 * so one sweep emits a bounded number of refreshes.
 */
export const MAX_ICEBERG_SLICES = 1000;

/** True for a positive safe integer: the domain of ids, prices, quantities and owners. */
export function isPositiveSafeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

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
export function checkLimit(order: LimitOrder, config: ResolvedConfig): ErrorCode | undefined {
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
export function checkTime(time: unknown): ErrorCode | undefined {
  return typeof time === 'number' && Number.isSafeInteger(time) && time >= 0
    ? undefined
    : 'INVALID_TIME';
}

/** Field checks of a market order. */
export function checkMarket(order: MarketOrder, config: ResolvedConfig): ErrorCode | undefined {
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
export function checkCancel(id: unknown): ErrorCode | undefined {
  return isPositiveSafeInt(id) ? undefined : 'INVALID_ID';
}

/** Field checks of a modify. */
export function checkModify(request: ModifyRequest, config: ResolvedConfig): ErrorCode | undefined {
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
export function checkStop(order: StopOrder, config: ResolvedConfig): ErrorCode | undefined {
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
export function checkReduce(request: ReduceRequest): ErrorCode | undefined {
  if (!isPositiveSafeInt(request.id)) return 'INVALID_ID';
  if (!isPositiveSafeInt(request.qty)) return 'INVALID_QTY';
  return undefined;
}

/** The id a rejected batch command reports: its own when usable, else 0. */
export function commandIdOf(command: unknown): number {
  if (typeof command !== 'object' || command === null) return 0;
  const id = (command as { id?: unknown }).id;
  return isPositiveSafeInt(id) ? id : 0;
}

/**
 * `apply` takes an array: anything else (one command object, most often) is a
 * mistake that would otherwise apply nothing and return no events.
 */
export function checkBatch(commands: unknown): void {
  if (!Array.isArray(commands)) {
    throw new TickbookError(
      'INVALID_COMMAND',
      `apply takes an array of commands, got ${describeValue(commands)}; for one command use submit(command)`,
    );
  }
}

/** `applyEncoded` takes a {@link CommandBuffer} (checked by shape, so another copy's works too). */
export function checkCommandBuffer(commands: unknown): void {
  const buffer = commands as { bytes?: unknown; byteLength?: unknown } | null;
  if (
    typeof buffer !== 'object' ||
    buffer === null ||
    !(buffer.bytes instanceof Uint8Array) ||
    typeof buffer.byteLength !== 'number'
  ) {
    throw new TickbookError(
      'INVALID_COMMAND',
      `applyEncoded takes a CommandBuffer, got ${describeValue(commands)}; for command objects use apply(commands)`,
    );
  }
}
