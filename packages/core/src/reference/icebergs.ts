/**
 * Icebergs and the level bound (docs/semantics.md, "Iceberg orders"; "The
 * level bound" of "Validation (first failing check wins)"). A resting
 * iceberg's `remaining` is its shown part, `hidden` its reserve.
 */

import { refreshedEvent } from '../events';
import type { BookEvent } from '../types';
import type { OrderNode, PriceLevel } from './order-queue';

/** Set an order's hidden reserve, keeping its level's reserve total. */
export function setHidden(order: OrderNode, hidden: number): void {
  if (order.level) order.level.hidden += hidden - order.hidden;
  order.hidden = hidden;
}

/**
 * A maker's shown part ran out and it has a reserve left: the iceberg shows
 * `min(peak, reserve)` more, at the back of its level, and says so.
 */
export function makerDone(order: OrderNode, events: BookEvent[]): void {
  const level = order.level!;
  level.remove(order);
  const shown = Math.min(order.peak, order.hidden);
  order.hidden -= shown;
  order.remaining = shown;
  level.append(order);
  events.push(refreshedEvent(order.id, order.side, order.price, shown));
}

/**
 * The QTY_OVERFLOW rule: would `qty` more lots resting at `level` let it
 * come to hold more than 2^53-1 lots? Shown quantities and hidden reserves
 * both count (icebergs refresh from their reserves). `self`: an order that
 * leaves the level first (a modify).
 */
export function overflows(level: PriceLevel | undefined, qty: number, self?: OrderNode): boolean {
  if (!level) return false;
  let held = level.total + level.hidden;
  if (self !== undefined && self.level === level) held -= self.remaining + self.hidden;
  return held > Number.MAX_SAFE_INTEGER - qty;
}
