/**
 * Constructors for event objects. Every engine builds its plain events through
 * these, so the objects have the same keys in the same order and serialise
 * byte-identically.
 */
import type { ErrorCode } from './errors';
import type {
  AcceptedEvent,
  CancelledEvent,
  CancelReason,
  LevelChangedEvent,
  ModifiedEvent,
  OrderType,
  RefreshedEvent,
  RejectedEvent,
  Side,
  TimeAdvancedEvent,
  TradeEvent,
  TriggeredEvent,
} from './types';

export function acceptedEvent(
  id: number,
  side: Side,
  orderType: OrderType,
  price: number | null,
  qty: number,
  expiresAt?: number,
  displayQty?: number,
): AcceptedEvent {
  const e: AcceptedEvent = { type: 'accepted', id, side, orderType, price, qty };
  if (expiresAt !== undefined) e.expiresAt = expiresAt;
  if (displayQty !== undefined) e.displayQty = displayQty;
  return e;
}

export function refreshedEvent(id: number, side: Side, price: number, qty: number): RefreshedEvent {
  return { type: 'refreshed', id, side, price, qty };
}

export function timeAdvancedEvent(time: number): TimeAdvancedEvent {
  return { type: 'time-advanced', time };
}

/**
 * A market order's accepted event with its optional sizing fields:
 * `notional` (then `qty` is null) and `protectionPrice`, each present only when given.
 */
export function acceptedMarketEvent(
  id: number,
  side: Side,
  qty: number | null,
  notional: number | undefined,
  protectionPrice: number | undefined,
): AcceptedEvent {
  const e: AcceptedEvent = { type: 'accepted', id, side, orderType: 'market', price: null, qty };
  if (notional !== undefined) e.notional = notional;
  if (protectionPrice !== undefined) e.protectionPrice = protectionPrice;
  return e;
}

export function rejectedEvent(id: number, code: ErrorCode): RejectedEvent {
  return { type: 'rejected', id, code };
}

export function tradeEvent(
  makerId: number,
  takerId: number,
  takerSide: Side,
  price: number,
  qty: number,
  makerRemaining: number,
  takerRemaining: number,
): TradeEvent {
  return { type: 'trade', makerId, takerId, takerSide, price, qty, makerRemaining, takerRemaining };
}

export function cancelledEvent(
  id: number,
  reason: CancelReason,
  qty: number,
  remaining: number,
): CancelledEvent {
  return { type: 'cancelled', id, reason, qty, remaining };
}

export function modifiedEvent(
  id: number,
  side: Side,
  price: number | null,
  qty: number,
  priorityKept: boolean,
  trigger?: number,
): ModifiedEvent {
  const e: ModifiedEvent = { type: 'modified', id, side, price, qty, priorityKept };
  if (trigger !== undefined) e.trigger = trigger;
  return e;
}

export function levelChangedEvent(
  side: Side,
  price: number,
  qty: number,
  count: number,
  sequence: number,
): LevelChangedEvent {
  return { type: 'level-changed', side, price, qty, count, sequence };
}

export function acceptedStopEvent(
  id: number,
  side: Side,
  price: number | null,
  qty: number,
  trigger: number,
  expiresAt?: number,
): AcceptedEvent {
  const e: AcceptedEvent = {
    type: 'accepted',
    id,
    side,
    orderType: price === null ? 'stop-market' : 'stop-limit',
    price,
    qty,
  };
  if (expiresAt !== undefined) e.expiresAt = expiresAt;
  e.trigger = trigger;
  return e;
}

export function triggeredEvent(
  id: number,
  side: Side,
  price: number | null,
  qty: number,
  trigger: number,
): TriggeredEvent {
  return {
    type: 'triggered',
    id,
    side,
    orderType: price === null ? 'market' : 'limit',
    price,
    qty,
    trigger,
  };
}

/**
 * V8 gives an object field the representation of the first value stored in
 * it. The engines read numbers out of a Float64Array, which arrive as heap
 * numbers and make each numeric field a "double" field, and a double field
 * keeps its value in a 16-byte box of its own, allocated for every event: a
 * trade event then takes 200 bytes instead of 88. One event of each shape
 * built here with non-numbers, before any real one, makes those fields
 * tagged, where an integer of up to 31 bits is stored in place (larger ones
 * and fractions are boxed, as before). The events' keys and values do not change.
 */
function primeTaggedFields(): void {
  const n = null as unknown as number;
  acceptedEvent(n, 'buy', 'limit', n, n, n, n);
  acceptedEvent(n, 'buy', 'limit', n, n, undefined, n);
  acceptedMarketEvent(n, 'buy', n, n, n);
  acceptedMarketEvent(n, 'buy', n, undefined, n);
  acceptedStopEvent(n, 'buy', n, n, n, n);
  acceptedStopEvent(n, 'buy', n, n, n);
  refreshedEvent(n, 'buy', n, n);
  timeAdvancedEvent(n);
  rejectedEvent(n, 'INVALID_COMMAND');
  tradeEvent(n, n, 'buy', n, n, n, n);
  cancelledEvent(n, 'user', n, n);
  modifiedEvent(n, 'buy', n, n, false, n);
  levelChangedEvent('buy', n, n, n, n);
  triggeredEvent(n, 'buy', n, n, n);
}
primeTaggedFields();
