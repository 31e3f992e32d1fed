/**
 * Stop orders: placing, arming, triggering at trades, and running the
 * triggered queue once the command's own matching is done (docs/semantics.md,
 * "Stop orders"; the stop parts of "Modify" and "Cancel"). An untriggered
 * stop holds an id map entry and sits in a stop list, never in a price level.
 */
import { acceptedStopEvent, cancelledEvent, modifiedEvent, triggeredEvent } from '../events';
import type { BookEvent, ModifyRequest, StopOrder } from '../types';
import type { BookSide } from './book-side';
import { overflows } from './icebergs';
import { enter, fokFillable } from './match';
import { OrderNode, type PriceLevel } from './order-queue';
import { type BookState, sideOf, stopsOf } from './state';

export function execStop(state: BookState, order: StopOrder, events: BookEvent[]): void {
  const expiresAt = order.expiresAt;
  const isLimit = order.price !== undefined;
  const unbounded = order.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const node = new OrderNode(
    order.id,
    order.side,
    order.price ?? unbounded,
    order.qty,
    order.owner ?? 0,
    order.stp ?? state.config.stpMode,
    false,
  );
  node.trigger = order.trigger;
  node.tif = order.timeInForce ?? (isLimit ? 'GTC' : 'IOC');
  events.push(
    acceptedStopEvent(
      order.id,
      order.side,
      order.price ?? null,
      order.qty,
      order.trigger,
      expiresAt,
    ),
  );
  state.orders.set(node.id, node);
  if (expiresAt !== undefined) {
    node.expiresAt = expiresAt;
    state.expiries.push(node);
    state.expiries.compact(state.orders);
  }
  armStop(state, node);
}

/** Modify an untriggered stop (validateModify has checked it); a new trigger arms it again. */
export function modifyStop(
  state: BookState,
  order: OrderNode,
  request: ModifyRequest,
  events: BookEvent[],
): void {
  const isLimit = Number.isFinite(order.price);
  const trigger = request.trigger ?? order.trigger;
  const kept = trigger === order.trigger;
  if (request.price !== undefined) order.price = request.price;
  if (request.qty !== undefined) order.remaining = request.qty;
  events.push(
    modifiedEvent(
      order.id,
      order.side,
      isLimit ? order.price : null,
      order.remaining,
      kept,
      trigger,
    ),
  );
  if (!kept) {
    unlinkStop(state, order);
    order.trigger = trigger;
    armStop(state, order);
  }
}

/** Is the stop's trigger reached by the last trade price? */
export function reached(order: OrderNode, price: number): boolean {
  return price > 0 && (order.side === 'buy' ? price >= order.trigger : price <= order.trigger);
}

/** Put a stop into its trigger list, or straight into the triggered queue when already reached. */
export function armStop(state: BookState, order: OrderNode): void {
  if (reached(order, state.last)) state.pending.push(order);
  else stopsOf(state, order.side).getOrCreate(order.trigger).append(order);
}

/** Take a stop out of its trigger list; the id map keeps it. */
export function unlinkStop(state: BookState, order: OrderNode): void {
  const level = order.level!;
  level.remove(order);
  if (level.count === 0) stopsOf(state, order.side).drop(level);
}

/** An untriggered stop leaves the book: out of its trigger list and the id map. */
export function removeStop(state: BookState, order: OrderNode): void {
  unlinkStop(state, order);
  state.orders.delete(order.id);
}

/** A trade printed at `price`: it is the last price; queue every stop it reaches, in crossing order. */
export function onTrade(state: BookState, price: number): void {
  state.last = price;
  const buyStops = state.buyStops;
  for (let level = buyStops.best(); level && level.price <= price; level = buyStops.best()) {
    queueLevel(state, buyStops, level);
  }
  const sellStops = state.sellStops;
  for (let level = sellStops.best(); level && level.price >= price; level = sellStops.best()) {
    queueLevel(state, sellStops, level);
  }
}

/** Move a reached trigger's stops, oldest armed first, to the triggered queue. */
export function queueLevel(state: BookState, side: BookSide, level: PriceLevel): void {
  for (let o = level.head; o; o = level.head) {
    level.remove(o);
    state.pending.push(o);
  }
  side.drop(level);
}

/** Enter the triggered stops, earliest triggered first; their trades may queue more. */
export function runTriggered(state: BookState, events: BookEvent[]): void {
  const pending = state.pending;
  for (let i = 0; i < pending.length; i++) {
    const o = pending[i];
    const isLimit = Number.isFinite(o.price);
    events.push(triggeredEvent(o.id, o.side, isLimit ? o.price : null, o.remaining, o.trigger));
    o.trigger = 0;
    const rests = o.tif === 'GTC';
    if (rests) {
      if (overflows(sideOf(state, o.side).get(o.price), o.remaining)) {
        events.push(cancelledEvent(o.id, 'remainder', o.remaining, 0));
        state.orders.delete(o.id);
        continue;
      }
    }
    if (o.tif === 'FOK' && !fokFillable(state, o)) {
      events.push(cancelledEvent(o.id, 'fok-unfilled', o.remaining, 0));
      state.orders.delete(o.id);
      continue;
    }
    enter(state, o, rests, events);
  }
  pending.length = 0;
}
