/**
 * Snapshots: a book's full state as versioned, checksummed bytes, the same
 * format for every engine.
 *
 * ```
 * "TKBS" | u32 version | u32 body length | body | u32 CRC-32 of body
 * body:  config (f64 minPrice, f64 maxPrice, f64 capacity, u8 stpMode)
 *        f64 sequence | f64 time (version 2) | f64 order count
 *        orders: bids best level first, then asks; each level in queue order:
 *        f64 id | u8 side | f64 price | f64 remaining | f64 filled | f64 owner | u8 stp | u8 postOnly
 *        | f64 expiresAt (version 2; 0 = none)
 *        | f64 displayQty | f64 displayed (version 3; an iceberg's display quantity, 0 = none,
 *          and the part of `remaining` it shows: `remaining` for a plain order)
 *        | f64 lastPrice (version 4; 0 = no trade yet) | f64 stop count
 *        stops (version 4), in trigger order: buy stops lowest trigger first, then sell stops
 *        highest first, equal triggers in arming order:
 *        f64 id | u8 side | f64 trigger | u8 kind (1 stop market, 2 stop limit) | f64 price (0 for
 *        a stop market) | f64 qty | u8 tif (0 GTC, 1 IOC, 2 FOK) | f64 owner | u8 stp | f64 expiresAt
 * ```
 * Version 4 added stop orders and the last trade price; version 3 added icebergs; version 1 and 2 snapshots still restore.
 * Version 2 added the book's time and good-till-date expiries; version 1
 * snapshots still restore (time 0, no expiries).
 */
import type { Book } from '../book';
import type { ResolvedConfig } from '../config';
import { STP_MODES } from '../config';
import { TickbookError } from '../errors';
import {
  RESTING_ORDERS,
  type RestingOrderSource,
  type SnapshotOrder,
  type SnapshotStop,
} from '../internal';
import type { BookConfig, Side, TimeInForce } from '../types';
import { ByteReader, ByteWriter } from './byte-codec';
import { crc32 } from './crc32';
import { checkSnapshot, type SnapshotContent } from './snapshot-check';

const MAGIC = 0x53424b54; // "TKBS" little-endian
/** Snapshot format version this code writes; it reads every older version too. */
export const SNAPSHOT_VERSION = 4;
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const SIDES: readonly Side[] = ['buy', 'sell'];

/** The configuration fields that define a book's identity (not its engine). */
export function writeConfig(w: ByteWriter, config: Omit<ResolvedConfig, 'engine'>): void {
  w.f64(config.minPrice).f64(config.maxPrice).f64(config.capacity);
  w.u8(STP_MODES.indexOf(config.stpMode));
}

export function readConfig(r: ByteReader): Omit<BookConfig, 'engine'> {
  const minPrice = r.f64();
  const maxPrice = r.f64();
  const capacity = r.f64();
  const stpMode = STP_MODES[r.u8()];
  if (stpMode === undefined) throw new TickbookError('CORRUPT_DATA', 'unknown stpMode code');
  return { minPrice, maxPrice, capacity, stpMode };
}

export function sameConfig(a: Omit<BookConfig, 'engine'>, b: Omit<BookConfig, 'engine'>): boolean {
  return (
    a.minPrice === b.minPrice &&
    a.maxPrice === b.maxPrice &&
    a.capacity === b.capacity &&
    (a.stpMode ?? 'cancel-newest') === (b.stpMode ?? 'cancel-newest')
  );
}

/**
 * Every resting order in canonical order: bids best first, then asks; queue
 * order within a level. A book with its own listing ({@link RESTING_ORDERS})
 * gives it; any other is read through the public queries.
 */
export function restingOrders(book: Book): Iterable<SnapshotOrder> {
  const own = (book as Partial<RestingOrderSource>)[RESTING_ORDERS];
  return typeof own === 'function' ? own.call(book) : queriedOrders(book);
}

function* queriedOrders(book: Book): Generator<SnapshotOrder> {
  for (const side of SIDES) {
    for (const level of book.levels(side)) {
      for (const o of book.ordersAt(side, level.price)) {
        const info = book.order(o.id);
        if (!info) throw new Error(`order ${o.id} is queued but not found by id`);
        yield {
          id: o.id,
          side,
          price: level.price,
          remaining: info.remaining,
          filled: info.filled,
          owner: info.owner,
          stp: info.stp,
          postOnly: info.postOnly,
          expiresAt: info.expiresAt ?? 0,
          displayQty: info.displayQty ?? 0,
          displayed: info.displayed ?? info.remaining,
        };
      }
    }
  }
}

/** Serialise a book's full state. */
export function snapshotBook(book: Book): Uint8Array {
  const stops: SnapshotStop[] = book.stops().map((o) => ({
    id: o.id,
    side: o.side,
    trigger: o.trigger ?? 0,
    price: o.price ?? undefined,
    qty: o.remaining,
    timeInForce: o.timeInForce ?? 'GTC',
    owner: o.owner,
    stp: o.stp,
    expiresAt: o.expiresAt ?? 0,
  }));
  return encodeSnapshot({
    config: book.config,
    sequence: book.sequence,
    time: book.time,
    lastPrice: book.lastPrice ?? 0,
    orderCount: book.size - stops.length,
    orders: restingOrders(book),
    stops,
  });
}

/** What {@link encodeSnapshot} writes; `orders` may be a generator of `orderCount` orders. */
export interface SnapshotParts {
  config: Omit<ResolvedConfig, 'engine'>;
  sequence: number;
  time: number;
  lastPrice: number;
  orderCount: number;
  orders: Iterable<SnapshotOrder>;
  stops: readonly SnapshotStop[];
}

/** Write snapshot bytes (current version) from their parts, as they are: no checks. */
export function encodeSnapshot(s: SnapshotParts): Uint8Array {
  const w = new ByteWriter();
  w.u32(MAGIC).u32(SNAPSHOT_VERSION).u32(0);
  const bodyStart = w.length;
  writeConfig(w, s.config);
  w.f64(s.sequence).f64(s.time).f64(s.orderCount);
  for (const o of s.orders) {
    w.f64(o.id).u8(SIDES.indexOf(o.side)).f64(o.price).f64(o.remaining).f64(o.filled);
    w.f64(o.owner)
      .u8(STP_MODES.indexOf(o.stp))
      .u8(o.postOnly ? 1 : 0)
      .f64(o.expiresAt)
      .f64(o.displayQty)
      .f64(o.displayed);
  }
  w.f64(s.lastPrice).f64(s.stops.length);
  for (const o of s.stops) {
    w.f64(o.id).u8(SIDES.indexOf(o.side)).f64(o.trigger);
    w.u8(o.price === undefined ? 1 : 2)
      .f64(o.price ?? 0)
      .f64(o.qty);
    w.u8(TIFS.indexOf(o.timeInForce)).f64(o.owner).u8(STP_MODES.indexOf(o.stp)).f64(o.expiresAt);
  }
  const bodyEnd = w.length;
  w.patchU32(8, bodyEnd - bodyStart);
  w.u32(crc32(w.written(), bodyStart, bodyEnd));
  return w.toBytes();
}

/** A snapshot checked and decoded, orders still lazy. */
export interface DecodedSnapshot {
  config: Omit<BookConfig, 'engine'>;
  sequence: number;
  /** The book's time (0 in version-1 snapshots). */
  time: number;
  orders: () => Generator<SnapshotOrder>;
  /** Last trade price (0: none; always 0 before version 4). */
  lastPrice: number;
  stops: () => Generator<SnapshotStop>;
}

/**
 * Check a snapshot's framing, version and checksum and decode its header.
 * @throws {@link TickbookError} `CORRUPT_DATA` or `UNSUPPORTED_VERSION`.
 */
export function decodeSnapshot(bytes: Uint8Array): DecodedSnapshot {
  if (!(bytes instanceof Uint8Array)) throw new TickbookError('CORRUPT_DATA', 'not bytes');
  const r = new ByteReader(bytes, 0, bytes.length, 'snapshot');
  if (r.u32() !== MAGIC) throw new TickbookError('CORRUPT_DATA', 'not a tickbook snapshot');
  const version = r.u32();
  if (version < 1 || version > SNAPSHOT_VERSION) {
    throw new TickbookError('UNSUPPORTED_VERSION', `snapshot version ${version}`);
  }
  const bodyLength = r.u32();
  const bodyStart = r.offset;
  if (bodyStart + bodyLength + 4 !== bytes.length) {
    throw new TickbookError('CORRUPT_DATA', 'snapshot length does not match its header');
  }
  const stored = new ByteReader(bytes, bodyStart + bodyLength, bytes.length, 'snapshot').u32();
  if (crc32(bytes, bodyStart, bodyStart + bodyLength) !== stored) {
    throw new TickbookError('CORRUPT_DATA', 'snapshot checksum mismatch');
  }
  const body = new ByteReader(bytes, bodyStart, bodyStart + bodyLength, 'snapshot');
  const config = readConfig(body);
  const sequence = body.f64();
  const time = version >= 2 ? body.f64() : 0;
  const count = body.f64();
  const ordersAt = body.offset;
  const recordSize = 43 + (version >= 2 ? 8 : 0) + (version >= 3 ? 16 : 0);
  const end = bodyStart + bodyLength;
  let lastPrice = 0;
  let stopCount = 0;
  let stopsAt = end;
  if (version >= 4) {
    if (!(count >= 0 && Number.isSafeInteger(count)) || ordersAt + count * recordSize + 16 > end) {
      throw new TickbookError('CORRUPT_DATA', 'bad order count in snapshot');
    }
    const t = new ByteReader(bytes, ordersAt + count * recordSize, end, 'snapshot');
    lastPrice = t.f64();
    stopCount = t.f64();
    stopsAt = t.offset;
  }
  const stops = function* (): Generator<SnapshotStop> {
    const o = new ByteReader(bytes, stopsAt, end, 'snapshot');
    for (let i = 0; i < stopCount; i++) {
      const id = o.f64();
      const side = SIDES[o.u8()];
      const trigger = o.f64();
      const kind = o.u8();
      const price = o.f64();
      const qty = o.f64();
      const timeInForce = TIFS[o.u8()];
      const owner = o.f64();
      const stp = STP_MODES[o.u8()];
      const expiresAt = o.f64();
      if (
        !side ||
        !stp ||
        !timeInForce ||
        (kind !== 1 && kind !== 2) ||
        (kind === 1 && price !== 0)
      ) {
        throw new TickbookError('CORRUPT_DATA', 'bad stop record in snapshot');
      }
      yield {
        id,
        side,
        trigger,
        price: kind === 2 ? price : undefined,
        qty,
        timeInForce,
        owner,
        stp,
        expiresAt,
      };
    }
    if (o.remaining !== 0) throw new TickbookError('CORRUPT_DATA', 'trailing bytes in snapshot');
  };
  const orders = function* (): Generator<SnapshotOrder> {
    const o = new ByteReader(bytes, ordersAt, version >= 4 ? stopsAt - 16 : end, 'snapshot');
    for (let i = 0; i < count; i++) {
      const id = o.f64();
      const side = SIDES[o.u8()];
      const price = o.f64();
      const remaining = o.f64();
      const filled = o.f64();
      const owner = o.f64();
      const stp = STP_MODES[o.u8()];
      const postOnlyCode = o.u8();
      const postOnly = postOnlyCode === 1;
      const expiresAt = version >= 2 ? o.f64() : 0;
      const displayQty = version >= 3 ? o.f64() : 0;
      const displayed = version >= 3 ? o.f64() : remaining;
      if (!side || !stp || postOnlyCode > 1) {
        throw new TickbookError('CORRUPT_DATA', 'bad order record in snapshot');
      }
      yield {
        id,
        side,
        price,
        remaining,
        filled,
        owner,
        stp,
        postOnly,
        expiresAt,
        displayQty,
        displayed,
      };
    }
    if (o.remaining !== 0) throw new TickbookError('CORRUPT_DATA', 'trailing bytes in snapshot');
  };
  return { config, sequence, time, orders, lastPrice, stops };
}

/** A snapshot decoded and checked field by field: what an engine restores. */
export interface CheckedSnapshot extends SnapshotContent {
  config: ResolvedConfig;
  orders: SnapshotOrder[];
  stops: SnapshotStop[];
}

/**
 * Decode a snapshot completely and check every field ({@link checkSnapshot}):
 * the one gate between snapshot bytes and any engine.
 * @throws {@link TickbookError} `CORRUPT_DATA` or `UNSUPPORTED_VERSION`.
 */
export function readSnapshot(bytes: Uint8Array): CheckedSnapshot {
  const decoded = decodeSnapshot(bytes);
  const content = {
    config: decoded.config,
    sequence: decoded.sequence,
    time: decoded.time,
    lastPrice: decoded.lastPrice,
    orders: [...decoded.orders()],
    stops: [...decoded.stops()],
  };
  return { ...content, config: checkSnapshot(content) };
}
