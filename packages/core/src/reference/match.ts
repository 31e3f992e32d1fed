/**
 * Entering orders: accept, post-only check, match against the opposite side,
 * then rest or cancel the remainder (docs/semantics.md, "Incoming order (limit
 * or market): the taker"; "Market orders by quote amount; protection price";
 * the taker and maker rules of "Iceberg orders"). The exec steps run only
 * after the command's validation passed.
 */
import { acceptedEvent, acceptedMarketEvent, cancelledEvent, tradeEvent } from '../events';
import type { BookEvent, LimitOrder, MarketOrder } from '../types';
import { makerDone } from './icebergs';
import { levelChanged, releaseOrder, restOrder, takeShown } from './levels';
import { OrderNode, type PriceLevel } from './order-queue';
import { type BookState, oppositeOf } from './state';
import { onTrade } from './stops';

/**
 * Matching returns true when self-trade prevention stopped it (the taker's
 * remainder is then cancelled), false when it ran out of quantity or liquidity.
 */
type StoppedBySelfTrade = boolean;

export function execLimit(state: BookState, order: LimitOrder, events: BookEvent[]): void {
  const expiresAt = order.expiresAt;
  const tif = order.timeInForce ?? 'GTC';
  const taker = new OrderNode(
    order.id,
    order.side,
    order.price,
    order.qty,
    order.owner ?? 0,
    order.stp ?? state.config.stpMode,
    order.postOnly === true,
  );
  taker.peak = order.displayQty ?? 0;
  events.push(
    acceptedEvent(
      order.id,
      order.side,
      'limit',
      order.price,
      order.qty,
      expiresAt,
      order.displayQty,
    ),
  );
  if (tif === 'FOK' && !fokFillable(state, taker)) {
    events.push(cancelledEvent(taker.id, 'fok-unfilled', taker.remaining, 0));
    return;
  }
  enter(state, taker, tif === 'GTC', events);
  if (expiresAt !== undefined && state.orders.get(taker.id) === taker) {
    taker.expiresAt = expiresAt;
    state.expiries.push(taker);
    state.expiries.compact(state.orders);
  }
}

export function execMarket(state: BookState, order: MarketOrder, events: BookEvent[]): void {
  const unbounded = order.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const { notional, protectionPrice } = order;
  const byNotional = notional !== undefined;
  const taker = new OrderNode(
    order.id,
    order.side,
    protectionPrice ?? unbounded,
    byNotional ? notional : (order.qty as number),
    order.owner ?? 0,
    order.stp ?? state.config.stpMode,
    false,
  );
  taker.byNotional = byNotional;
  events.push(
    acceptedMarketEvent(
      order.id,
      order.side,
      byNotional ? null : (order.qty as number),
      notional,
      protectionPrice,
    ),
  );
  if (order.timeInForce === 'FOK' && !fokFillable(state, taker)) {
    events.push(cancelledEvent(taker.id, 'fok-unfilled', taker.remaining, 0));
    return;
  }
  enter(state, taker, false, events);
}

/**
 * An accepted order (or a re-priced one, or a triggered stop) arrives:
 * post-only check, match, then rest or cancel the remainder.
 */
export function enter(
  state: BookState,
  taker: OrderNode,
  rests: boolean,
  events: BookEvent[],
): void {
  if (taker.postOnly && crosses(state, taker)) {
    events.push(cancelledEvent(taker.id, 'post-only', taker.remaining, 0));
    state.orders.delete(taker.id);
    return;
  }
  const stopped = matchIncoming(state, taker, events);
  if (taker.remaining === 0) {
    state.orders.delete(taker.id); // a modified order still has its entry
    return;
  }
  if (stopped || !rests) {
    events.push(cancelledEvent(taker.id, stopped ? 'self-trade' : 'remainder', taker.remaining, 0));
    state.orders.delete(taker.id);
  } else {
    restRemainder(state, taker, events);
  }
}

export function matchIncoming(
  state: BookState,
  taker: OrderNode,
  events: BookEvent[],
): StoppedBySelfTrade {
  const makers = oppositeOf(state, taker.side);
  for (;;) {
    const level = makers.best();
    if (!level || !acceptable(taker, level.price)) return false;
    // out of quantity, or a notional that affords nothing here: done
    if (takeable(taker, level.price) === 0) return false;
    if (matchLevel(state, taker, level, events)) return true;
  }
}

/** Match the taker against one level, oldest maker first; emits the level's change. */
export function matchLevel(
  state: BookState,
  taker: OrderNode,
  level: PriceLevel,
  events: BookEvent[],
): StoppedBySelfTrade {
  let touched = false;
  let stopped = false;
  const price = level.price;
  while (level.head) {
    const cap = takeable(taker, price);
    if (cap === 0) break;
    const maker = level.head;
    if (isSelfTrade(taker, maker)) {
      const mode = taker.stp;
      if (mode === 'cancel-newest') {
        stopped = true;
        break;
      }
      touched = true;
      if (mode === 'decrement-and-cancel') {
        const d = Math.min(cap, maker.remaining);
        takeShown(state, maker, d);
        events.push(cancelledEvent(maker.id, 'self-trade', d, maker.remaining + maker.hidden));
        if (maker.remaining === 0 && maker.hidden > 0) makerDone(maker, events);
        const used = taker.byNotional ? d * price : d;
        taker.remaining -= used;
        events.push(cancelledEvent(taker.id, 'self-trade', used, taker.remaining));
        continue;
      }
      events.push(cancelledEvent(maker.id, 'self-trade', maker.remaining + maker.hidden, 0));
      releaseOrder(state, maker);
      if (mode === 'cancel-both') {
        stopped = true;
        break;
      }
      continue;
    }
    touched = true;
    const qty = Math.min(cap, maker.remaining);
    taker.remaining -= taker.byNotional ? qty * price : qty;
    taker.filled += qty;
    maker.filled += qty;
    takeShown(state, maker, qty);
    events.push(
      tradeEvent(
        maker.id,
        taker.id,
        taker.side,
        level.price,
        qty,
        maker.remaining,
        taker.remaining,
      ),
    );
    if (maker.remaining === 0 && maker.hidden > 0) makerDone(maker, events);
    onTrade(state, price);
  }
  if (touched) events.push(levelChanged(state, level));
  return stopped;
}

/** FOK pre-check: would matching fill the whole quantity? Changes nothing. */
export function fokFillable(state: BookState, taker: OrderNode): boolean {
  let need = taker.remaining;
  for (const level of oppositeOf(state, taker.side).bestFirst()) {
    if (!acceptable(taker, level.price)) return false;
    let hidden = 0;
    for (let maker = level.head; maker; maker = maker.next) {
      if (isSelfTrade(taker, maker)) {
        if (taker.stp === 'cancel-oldest') continue;
        return false;
      }
      need -= Math.min(need, maker.remaining);
      if (need === 0) return true;
      hidden += maker.hidden;
    }
    // nothing stops matching at this level: icebergs refresh until their reserves are gone
    need -= Math.min(need, hidden);
    if (need === 0) return true;
  }
  return false;
}

/** Post-only: would the order trade on arrival? */
export function crosses(state: BookState, taker: OrderNode): boolean {
  const best = oppositeOf(state, taker.side).best();
  return best !== undefined && acceptable(taker, best.price);
}

/** The taker's remainder rests (an iceberg showing `min(peak, open)`); its level changed. */
export function restRemainder(state: BookState, order: OrderNode, events: BookEvent[]): void {
  if (order.peak > 0) {
    const open = order.remaining;
    order.remaining = Math.min(order.peak, open);
    order.hidden = open - order.remaining;
  }
  const level = restOrder(state, order);
  state.orders.set(order.id, order);
  events.push(levelChanged(state, level));
}

/**
 * Lots the taker can still take at `price`: its open quantity, or for a
 * notional order what its notional left affords (`floor(left / price)`).
 */
export function takeable(taker: OrderNode, price: number): number {
  return taker.byNotional ? affordable(taker.remaining, price) : taker.remaining;
}

/** `floor(notional / price)`, exact for safe integers (the division may round up). */
export function affordable(notional: number, price: number): number {
  const q = Math.floor(notional / price);
  return q * price > notional ? q - 1 : q;
}

/** Can the taker trade at this maker price? */
export function acceptable(taker: OrderNode, price: number): boolean {
  return taker.side === 'buy' ? price <= taker.price : price >= taker.price;
}

export function isSelfTrade(taker: OrderNode, maker: OrderNode): boolean {
  return taker.owner !== 0 && taker.owner === maker.owner;
}
