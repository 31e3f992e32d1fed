/**
 * A snapshot is input from disk: it passed its checksum, but its content may
 * still describe no book that could exist (a bug elsewhere, a hand-made
 * file). Every field is checked here, once, before any engine sees it, so
 * both engines restore exactly the same snapshots and refuse the others with
 * `CORRUPT_DATA` naming the first thing wrong, never half-restoring.
 *
 * What is checked is what a live book guarantees: the rules of
 * docs/semantics.md ("Units and limits", "The level bound", icebergs, stops)
 * and the snapshot's canonical order (bids best first, then asks; stops in
 * trigger order), which is the only order a book writes.
 */
import { type ResolvedConfig, resolveConfig } from '../config';
import { isTickbookError, TickbookError } from '../errors';
import type { SnapshotOrder, SnapshotStop } from '../internal';
import type { BookConfig } from '../types';

/** An iceberg's open quantity is at most this many times its display quantity. */
const MAX_ICEBERG_SLICES = 1000;

/** What a snapshot holds, decoded but not yet trusted. */
export interface SnapshotContent {
  config: Omit<BookConfig, 'engine'>;
  sequence: number;
  time: number;
  lastPrice: number;
  orders: readonly SnapshotOrder[];
  stops: readonly SnapshotStop[];
}

function corrupt(what: string, id?: number): never {
  throw new TickbookError('CORRUPT_DATA', `snapshot ${what}`, id);
}

function isPositive(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function isNonNegative(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Check everything a snapshot says.
 * @returns the book's resolved config.
 * @throws {@link TickbookError} `CORRUPT_DATA` naming the first field that no valid book could have.
 */
export function checkSnapshot(s: SnapshotContent): ResolvedConfig {
  let config: ResolvedConfig;
  try {
    config = resolveConfig({ ...s.config, engine: 'js' });
  } catch (e) {
    if (isTickbookError(e)) corrupt(`config: ${e.message}`);
    throw e;
  }
  if (!isNonNegative(s.sequence)) corrupt(`sequence ${s.sequence} is not a non-negative integer`);
  if (!isNonNegative(s.time)) corrupt(`time ${s.time} is not a non-negative integer`);
  const inBand = (p: number) => isPositive(p) && p >= config.minPrice && p <= config.maxPrice;
  if (s.lastPrice !== 0 && !inBand(s.lastPrice)) {
    corrupt(`last price ${s.lastPrice} is not a price in the band`);
  }
  if (s.orders.length + s.stops.length > config.capacity) {
    corrupt(
      `holds ${s.orders.length + s.stops.length} orders, more than capacity ${config.capacity}`,
    );
  }
  const fresh = (id: number) => {
    if (!isPositive(id)) corrupt(`order id ${id} is not a positive safe integer`);
  };
  const expiry = (x: number, id: number) => {
    if (x !== 0 && !(isPositive(x) && x > s.time)) {
      corrupt(`order ${id} expiry ${x} is not a time after the book's ${s.time}`, id);
    }
  };
  const owner = (o: number, id: number) => {
    if (o !== 0 && !isPositive(o))
      corrupt(`order ${id} owner ${o} is not a positive safe integer`, id);
  };
  const fields: FieldChecks = { inBand, fresh, expiry, owner };
  checkOrders(s.orders, fields);
  checkStops(s.stops, s.lastPrice, fields);
  checkUnique(s.orders, s.stops);
  return config;
}

/** Every id once, orders and stops together (sorted: a `Set` of a million ids costs 3× more). */
function checkUnique(orders: readonly SnapshotOrder[], stops: readonly SnapshotStop[]): void {
  const ids = new Float64Array(orders.length + stops.length);
  orders.forEach((o, i) => {
    ids[i] = o.id;
  });
  stops.forEach((o, i) => {
    ids[orders.length + i] = o.id;
  });
  ids.sort();
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) corrupt(`order id ${ids[i]} appears twice`, ids[i]);
  }
}

/** Checks shared by orders and stops (each throws CORRUPT_DATA, but `inBand`). */
interface FieldChecks {
  inBand(price: number): boolean;
  fresh(id: number): void;
  expiry(expiresAt: number, id: number): void;
  owner(owner: number, id: number): void;
}

function checkOrders(orders: readonly SnapshotOrder[], f: FieldChecks): void {
  let side: 'buy' | 'sell' = 'buy';
  let price = 0;
  let held = 0; // the level's shown + hidden quantity (the level bound)
  let bestBid = 0;
  for (const o of orders) {
    const { id } = o;
    f.fresh(id);
    if (!f.inBand(o.price)) corrupt(`order ${id} price ${o.price} is not a price in the band`, id);
    if (!isPositive(o.remaining))
      corrupt(`order ${id} quantity ${o.remaining} is not positive`, id);
    if (!(Number.isInteger(o.filled) && o.filled >= 0)) {
      corrupt(`order ${id} filled ${o.filled} is not a non-negative integer`, id);
    }
    f.owner(o.owner, id);
    f.expiry(o.expiresAt, id);
    if (o.displayQty === 0) {
      if (o.displayed !== o.remaining) corrupt(`plain order ${id} does not show all of itself`, id);
    } else {
      const d = o.displayQty;
      if (!isPositive(d)) corrupt(`iceberg ${id} display ${d} is not positive`, id);
      if (o.remaining > d * MAX_ICEBERG_SLICES) {
        corrupt(`iceberg ${id} holds ${o.remaining}, more than 1000 × its display ${d}`, id);
      }
      if (!(isPositive(o.displayed) && o.displayed <= d && o.displayed <= o.remaining)) {
        corrupt(`iceberg ${id} shows ${o.displayed} of ${o.remaining} with display ${d}`, id);
      }
    }
    // canonical order: bids best (highest) first, then asks best (lowest) first
    if (o.side !== side) {
      if (o.side === 'buy') corrupt(`bid ${id} comes after the asks`, id);
      side = 'sell';
      price = 0;
    }
    if (side === 'buy' && bestBid === 0) bestBid = o.price;
    if (price !== 0 && (side === 'buy' ? o.price > price : o.price < price)) {
      corrupt(`order ${id} at ${o.price} is out of price order`, id);
    }
    if (side === 'sell' && bestBid !== 0 && o.price <= bestBid) {
      corrupt(`ask ${id} at ${o.price} crosses the best bid ${bestBid}`, id);
    }
    if (o.price !== price) held = 0;
    price = o.price;
    if (held > Number.MAX_SAFE_INTEGER - o.remaining) {
      corrupt(`level ${price} holds more than 2^53-1 lots (reserves included)`, id);
    }
    held += o.remaining;
  }
}

function checkStops(stops: readonly SnapshotStop[], lastPrice: number, f: FieldChecks): void {
  let side: 'buy' | 'sell' = 'buy';
  let trigger = 0;
  for (const s of stops) {
    const { id } = s;
    f.fresh(id);
    if (!f.inBand(s.trigger))
      corrupt(`stop ${id} trigger ${s.trigger} is not a price in the band`, id);
    if (s.price !== undefined && !f.inBand(s.price)) {
      corrupt(`stop ${id} limit price ${s.price} is not a price in the band`, id);
    }
    if (!isPositive(s.qty)) corrupt(`stop ${id} quantity ${s.qty} is not positive`, id);
    if (s.price === undefined && s.timeInForce === 'GTC') {
      corrupt(`stop market ${id} is good-till-cancelled`, id);
    }
    f.owner(s.owner, id);
    f.expiry(s.expiresAt, id);
    const reached =
      lastPrice > 0 && (s.side === 'buy' ? lastPrice >= s.trigger : lastPrice <= s.trigger);
    if (reached) corrupt(`stop ${id} is already reached by the last price ${lastPrice}`, id);
    // canonical order: buy stops lowest trigger first, then sell stops highest first
    if (s.side !== side) {
      if (s.side === 'buy') corrupt(`buy stop ${id} comes after the sell stops`, id);
      side = 'sell';
      trigger = 0;
    }
    if (trigger !== 0 && (side === 'buy' ? s.trigger < trigger : s.trigger > trigger)) {
      corrupt(`stop ${id} at trigger ${s.trigger} is out of trigger order`, id);
    }
    trigger = s.trigger;
  }
}
