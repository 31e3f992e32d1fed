/**
 * A command's fields, each read once from the caller's object, in the order
 * the WASM engine reads them into its call's arguments. Validation and
 * execution then see the same values even when the object has getters or is
 * a Proxy whose answers change from one read to the next: without this a
 * quantity checked as 5 could rest as -3. A getter that calls the book runs
 * here, before the command looks at the book, as in the WASM engine.
 * Non-objects pass through, for validation to refuse.
 */
import type { LimitOrder, MarketOrder, ModifyRequest, ReduceRequest, StopOrder } from '../types';

export function limitFields(o: LimitOrder): LimitOrder {
  if (typeof o !== 'object' || o === null) return o;
  return {
    id: o.id,
    side: o.side,
    price: o.price,
    qty: o.qty,
    timeInForce: o.timeInForce,
    postOnly: o.postOnly,
    owner: o.owner,
    stp: o.stp,
    expiresAt: o.expiresAt,
    displayQty: o.displayQty,
  };
}

export function marketFields(o: MarketOrder): MarketOrder {
  if (typeof o !== 'object' || o === null) return o;
  const postOnly = (o as { postOnly?: unknown }).postOnly;
  const fields: MarketOrder = {
    id: o.id,
    side: o.side,
    qty: o.qty,
    notional: o.notional,
    timeInForce: o.timeInForce,
    owner: o.owner,
    stp: o.stp,
    protectionPrice: o.protectionPrice,
  };
  // not a market order field: kept only to be refused
  if (postOnly !== undefined) (fields as { postOnly?: unknown }).postOnly = postOnly;
  return fields;
}

export function stopFields(o: StopOrder): StopOrder {
  if (typeof o !== 'object' || o === null) return o;
  return {
    id: o.id,
    side: o.side,
    trigger: o.trigger,
    price: o.price,
    qty: o.qty,
    timeInForce: o.timeInForce,
    owner: o.owner,
    stp: o.stp,
    expiresAt: o.expiresAt,
  };
}

export function modifyFields(o: ModifyRequest): ModifyRequest {
  if (typeof o !== 'object' || o === null) return o;
  return { id: o.id, price: o.price, qty: o.qty, trigger: o.trigger };
}

export function reduceFields(o: ReduceRequest): ReduceRequest {
  if (typeof o !== 'object' || o === null) return o;
  return { id: o.id, qty: o.qty };
}
