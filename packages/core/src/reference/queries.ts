/**
 * Reading the book: L1, L2, L3, one order's view and the untriggered stops
 * (docs/semantics.md, "Queries"; the views of "Iceberg orders" and "Stop
 * orders"). Nothing here changes the book.
 */
import type { Depth, Level, OrderInfo, RestingOrder, Side } from '../types';
import type { PriceLevel } from './order-queue';
import { type BookState, sideOf } from './state';

export function bestBid(state: BookState): Level | undefined {
  const level = state.bids.best();
  return level && levelView(level);
}

export function bestAsk(state: BookState): Level | undefined {
  const level = state.asks.best();
  return level && levelView(level);
}

export function levels(state: BookState, side: Side, limit?: number): Level[] {
  return [...sideOf(state, side).bestFirst(limit)].map(levelView);
}

export function depth(state: BookState, limit?: number): Depth {
  return { bids: levels(state, 'buy', limit), asks: levels(state, 'sell', limit) };
}

export function ordersAt(state: BookState, side: Side, price: number): RestingOrder[] {
  const out: RestingOrder[] = [];
  const level = sideOf(state, side).get(price);
  for (let o = level?.head ?? null; o; o = o.next) {
    out.push({ id: o.id, qty: o.remaining, owner: o.owner });
  }
  return out;
}

export function order(state: BookState, id: number): OrderInfo | undefined {
  const o = state.orders.get(id);
  if (!o) return undefined;
  if (o.trigger > 0) {
    return {
      id: o.id,
      side: o.side,
      price: Number.isFinite(o.price) ? o.price : null,
      remaining: o.remaining,
      filled: 0,
      status: 'untriggered',
      owner: o.owner,
      stp: o.stp,
      postOnly: false,
      ...(o.expiresAt > 0 ? { expiresAt: o.expiresAt } : {}),
      trigger: o.trigger,
      timeInForce: o.tif,
    };
  }
  return {
    id: o.id,
    side: o.side,
    price: o.price,
    remaining: o.remaining + o.hidden,
    filled: o.filled,
    status: o.filled > 0 ? 'partially-filled' : 'new',
    owner: o.owner,
    stp: o.stp,
    postOnly: o.postOnly,
    ...(o.expiresAt > 0 ? { expiresAt: o.expiresAt } : {}),
    ...(o.peak > 0 ? { displayQty: o.peak, displayed: o.remaining } : {}),
  };
}

/** Untriggered stops: buy stops lowest trigger first, then sell stops highest first. */
export function stops(state: BookState): OrderInfo[] {
  const out: OrderInfo[] = [];
  for (const side of [state.buyStops, state.sellStops]) {
    for (const level of side.bestFirst()) {
      for (let o = level.head; o; o = o.next) out.push(order(state, o.id)!);
    }
  }
  return out;
}

function levelView(level: PriceLevel): Level {
  return { price: level.price, qty: level.total, count: level.count };
}
