/**
 * The WebAssembly engine (`engine: 'wasm'`): the {@link Book} interface over
 * one matcher instance. Commands go to the wasm as scalar arguments (per-order
 * API) or as binary records in the command region (batch API); events come
 * back as binary records that are decoded into plain objects, or read in
 * place through an {@link EventCursor}.
 */
import type { Book } from '../book';
import type { ResolvedConfig } from '../config';
import { snapshotBook } from '../durability/snapshot';
import { stateHash } from '../durability/state-hash';
import { TickbookError } from '../errors';
import { rejectedEvent } from '../events';
import {
  RESTING_ORDERS,
  RESTORE,
  type RestingOrderSource,
  type Restorable,
  type SnapshotOrder,
  type SnapshotStop,
} from '../internal';
import { refusal } from '../refusal';
import type { BookReaderDescriptor } from '../threads/book-reader';
import type {
  BookEvent,
  Command,
  Depth,
  Level,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  OrderInfo,
  ReduceRequest,
  RestingOrder,
  Side,
  StopOrder,
} from '../types';
import { checkBatch, checkCommandBuffer, commandIdOf } from '../validate';
import {
  BITS_READERS_WAITING,
  CMD_SIZE,
  EV_SIZE,
  GEO_BIT_LEVELS,
  GEO_BITS_TABLE,
  GEO_CMD_REGION,
  GEO_COMMANDS,
  GEO_EVENTS,
  GEO_EXPIRY,
  GEO_FREE_HEAD,
  GEO_HEAP,
  GEO_HEAP_POS,
  GEO_ICEBERG,
  GEO_LEVELS,
  GEO_ORDERS,
  GEO_SLOTS_TOUCHED,
  GEO_TICKS,
  LEVEL_HEAD,
  LEVEL_SIZE,
  ORDER_ICEBERG,
  ORDER_NEXT,
  ORDER_POST_ONLY,
  ORDER_SIDE,
  ORDER_SIZE,
  ORDER_STP,
  SIDE_CODES,
  STP_CODES,
  TIF_CODES,
  WASM_ERROR_CODES,
} from './codes';
import type { CommandBuffer } from './command-buffer';
import {
  bytesOfWords,
  displayCode,
  encodeCommand,
  expiryCode,
  limitPostOnlyCode,
  limitTifCode,
  marketFlags,
  marketPostOnlyCode,
  marketSize,
  marketTifCode,
  modifyFlags,
  num,
  ownerCode,
  recordBytes,
  sideCode,
  stopTifCode,
  stpCode,
} from './encode';
import { decodeEvent, decodeEvents, EventCursor } from './event-cursor';
import { createMatcher, type MatcherExports, type WasmMemory } from './module';

/** Receives each chunk of a batch's events; the cursor is valid only during the call. */
export type EventSink = (events: EventCursor) => void;

/**
 * The refusal for a negative matcher result (see refusal.ts). Callers throw
 * it themselves: a helper that only throws stays in V8's interpreter (it
 * never returns, so it is never optimised), and W1 refuses one cancel in eight.
 */
function refusalOf(result: number, id: unknown, input?: unknown): TickbookError {
  return refusal(WASM_ERROR_CODES[-result - 1], typeof id === 'number' ? id : undefined, input);
}

function reentered(): never {
  throw new Error(
    'tickbook: a command was sent to a WASM book from inside its own applyEncoded event callback; ' +
      'collect what you need and send it after applyEncoded returns',
  );
}

function invalidCommand(id: unknown): never {
  throw new TickbookError('INVALID_COMMAND', undefined, typeof id === 'number' ? id : undefined);
}

/** Longest a batch writer holds off its next write window for waiting readers (ms). */
const READER_GAP_MS = 0.05;

/**
 * A book on the WebAssembly engine, as {@link createWasmBook} returns it: the
 * {@link Book} interface plus what only this engine has — the binary batch
 * path ({@link WasmBook.applyEncoded} with a {@link CommandBuffer}) and
 * {@link WasmBook.readerDescriptor} for {@link BookReader}s on other threads.
 */
export class WasmBook implements Book, Restorable, RestingOrderSource {
  readonly engine = 'wasm' as const;
  /** The book's linear memory (a `SharedArrayBuffer` underneath). */
  readonly memory: WasmMemory;
  private readonly ex: MatcherExports;
  private u8!: Uint8Array;
  private u32!: Uint32Array;
  private i32!: Int32Array;
  private f64!: Float64Array;
  private readonly minPrice: number;
  private readonly maxPrice: number;
  private readonly levelsBase: number;
  private readonly cmdBase: number;
  private readonly evBase: number;
  /** Bytes of the command region (room for 1,024 of the largest records). */
  private readonly cmdRegion: number;
  /** Int32 index of the readers-waiting counter (see {@link letReadersIn}). */
  private readonly waitingIndex: number;
  private readonly cursor = new EventCursor();
  /** True while an `applyEncoded` sink runs: the regions it reads must not be reused. */
  private draining = false;

  constructor(readonly config: ResolvedConfig) {
    this.minPrice = config.minPrice;
    this.maxPrice = config.maxPrice;
    const m = createMatcher(
      config.minPrice,
      config.maxPrice,
      config.capacity,
      STP_CODES.indexOf(config.stpMode),
    );
    this.ex = m.exports;
    this.memory = m.memory;
    this.levelsBase = this.ex.geometry(GEO_LEVELS);
    this.cmdBase = this.ex.geometry(GEO_COMMANDS);
    this.evBase = this.ex.geometry(GEO_EVENTS);
    this.cmdRegion = this.ex.geometry(GEO_CMD_REGION);
    this.waitingIndex = (this.ex.geometry(GEO_BITS_TABLE) + BITS_READERS_WAITING) >> 2;
    this.refreshViews();
  }

  /**
   * Between two batch write windows: when `BookReader`s on other threads
   * have spun without finding the book outside a window, hold the next one
   * until they are through (at most {@link READER_GAP_MS}). A batch writer
   * running flat out otherwise leaves them only the gaps of its own loop.
   * With no reader waiting this is one load.
   */
  private letReadersIn(): void {
    if (Atomics.load(this.i32, this.waitingIndex) === 0) return;
    const until = performance.now() + READER_GAP_MS;
    while (Atomics.load(this.i32, this.waitingIndex) !== 0 && performance.now() < until) {}
  }

  /** Rebuild the typed-array views after the memory grew. */
  private refreshViews(): void {
    const buffer = this.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  /** The views must cover `count` events from the event base. */
  private covering(count: number): void {
    if (this.evBase + count * 56 > this.u8.length) this.refreshViews();
  }

  private decode(count: number): BookEvent[] {
    this.covering(count);
    const { u8, u32, f64 } = this;
    const at = this.evBase;
    // Most calls return one to three events: an array literal allocates their
    // exact length, where push() on [] allocates room for 16.
    switch (count) {
      case 1:
        return [decodeEvent(u8, u32, f64, at)];
      case 2:
        return [decodeEvent(u8, u32, f64, at), decodeEvent(u8, u32, f64, at + EV_SIZE)];
      case 3:
        return [
          decodeEvent(u8, u32, f64, at),
          decodeEvent(u8, u32, f64, at + EV_SIZE),
          decodeEvent(u8, u32, f64, at + 2 * EV_SIZE),
        ];
      default: {
        const out: BookEvent[] = [];
        decodeEvents(u8, u32, f64, at, count, out);
        return out;
      }
    }
  }

  get size(): number {
    return this.ex.size();
  }

  // ---- per-order API -----------------------------------------------------------

  limit(order: LimitOrder): BookEvent[] {
    if (this.draining) reentered();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    const n = this.ex.limit(
      num(order.id),
      sideCode(order.side),
      num(order.price),
      num(order.qty),
      limitTifCode(order.timeInForce),
      limitPostOnlyCode(order.postOnly),
      ownerCode(order.owner),
      stpCode(order.stp),
      expiryCode(order.expiresAt),
      displayCode(order.displayQty),
    );
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  market(order: MarketOrder): BookEvent[] {
    if (this.draining) reentered();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    const n = this.ex.market(
      num(order.id),
      sideCode(order.side),
      marketSize(order),
      marketTifCode(order.timeInForce),
      marketPostOnlyCode((order as { postOnly?: unknown }).postOnly),
      ownerCode(order.owner),
      stpCode(order.stp),
      marketFlags(order),
      num(order.protectionPrice),
    );
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  cancel(id: number): BookEvent[] {
    if (this.draining) reentered();
    const n = this.ex.cancel(num(id));
    if (n < 0) throw refusalOf(n, id, id);
    return this.decode(n);
  }

  modify(request: ModifyRequest): BookEvent[] {
    if (this.draining) reentered();
    if (typeof request !== 'object' || request === null) invalidCommand(undefined);
    const { price, qty } = request;
    const n = this.ex.modify(
      num(request.id),
      num(price),
      num(qty),
      modifyFlags(request),
      num(request.trigger),
    );
    if (n < 0) throw refusalOf(n, request.id, request);
    return this.decode(n);
  }

  reduce(request: ReduceRequest): BookEvent[] {
    if (this.draining) reentered();
    if (typeof request !== 'object' || request === null) invalidCommand(undefined);
    const n = this.ex.reduce(num(request.id), num(request.qty));
    if (n < 0) throw refusalOf(n, request.id, request);
    return this.decode(n);
  }

  stop(order: StopOrder): BookEvent[] {
    if (this.draining) reentered();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    const n = this.callStop(order);
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  private callStop(order: StopOrder): number {
    return this.ex.stop(
      num(order.id),
      sideCode(order.side),
      num(order.trigger),
      order.price !== undefined ? 1 : 0,
      num(order.price),
      num(order.qty),
      stopTifCode(order.timeInForce),
      ownerCode(order.owner),
      stpCode(order.stp),
      expiryCode(order.expiresAt),
    );
  }

  /** Price of the last trade; `undefined` before the first. */
  get lastPrice(): number | undefined {
    const p = this.ex.getLastPrice();
    return p === 0 ? undefined : p;
  }

  stops(): OrderInfo[] {
    const out: OrderInfo[] = [];
    for (let side = 0; side < 2; side++) {
      const n = this.ex.stopsOn(side);
      const at: number[] = [];
      for (let i = 1; i <= n; i++) at.push(this.ex.stopHeapEntry(side, i));
      const key = (o: number) => this.ex.orderTrigger(o);
      at.sort((a, b) => {
        const d = side === 0 ? key(a) - key(b) : key(b) - key(a);
        return d !== 0 ? d : this.ex.orderStopStamp(a) - this.ex.orderStopStamp(b);
      });
      for (const o of at) out.push(this.orderAt(o));
    }
    return out;
  }

  advanceTime(time: number): BookEvent[] {
    if (this.draining) reentered();
    const n = this.ex.advanceTime(num(time));
    if (n < 0) throw refusalOf(n, undefined, time);
    return this.decode(n);
  }

  /** The book's time (moved only by {@link advanceTime}). */
  get time(): number {
    return this.ex.getTime();
  }

  // ---- batch API ---------------------------------------------------------------

  apply(commands: readonly Command[]): BookEvent[] {
    checkBatch(commands);
    if (this.draining) reentered();
    const out: BookEvent[] = [];
    const total = commands.length;
    const cmdBase = this.cmdBase;
    let next = 0;
    while (next < total) {
      const { u8, f64 } = this;
      let bytes = 0;
      while (next < total && bytes + CMD_SIZE <= this.cmdRegion) {
        bytes += encodeCommand(commands[next++], u8, f64, cmdBase + bytes);
      }
      let done = 0;
      while (done < bytes) {
        done = this.ex.applyBatch(done, bytes);
        this.letReadersIn();
        const count = this.ex.eventCount();
        this.covering(count);
        decodeEvents(this.u8, this.u32, this.f64, this.evBase, count, out);
      }
    }
    return out;
  }

  /**
   * Apply binary commands, the fast batch path: no object per command or
   * event. Refused commands emit `rejected` events, as in {@link apply}.
   * @param onEvents - called with each chunk's events (at most a few
   *   thousand at a time), in order; omitted: events are dropped.
   */
  applyEncoded(commands: CommandBuffer, onEvents?: EventSink): void {
    checkCommandBuffer(commands);
    if (this.draining) reentered();
    if (onEvents) {
      this.draining = true;
      try {
        this.runEncoded(commands, onEvents);
      } finally {
        this.draining = false;
      }
    } else {
      this.runEncoded(commands, undefined);
    }
  }

  private runEncoded(commands: CommandBuffer, onEvents: EventSink | undefined): void {
    const total = commands.byteLength;
    const src = commands.bytes;
    const cmdBase = this.cmdBase;
    // Copy a region's worth of bytes; the wasm applies the whole records in it
    // and the next copy starts at the first record it did not reach.
    let pos = 0;
    while (pos < total) {
      const len = Math.min(this.cmdRegion, total - pos);
      this.u8.set(src.subarray(pos, pos + len), cmdBase);
      let done = 0;
      do {
        done = this.ex.applyBatch(done, len);
        this.letReadersIn();
        if (onEvents) {
          const count = this.ex.eventCount();
          this.covering(count);
          this.cursor.reset(this.u8, this.u32, this.f64, this.evBase, count);
          onEvents(this.cursor);
        }
      } while (len - done >= 8 && len - done >= recordBytes(this.u8, cmdBase + done));
      pos += done;
    }
  }

  /** Bytes of the command region: what one {@link applyWritten} call takes. */
  get commandRegionBytes(): number {
    return this.cmdRegion;
  }

  /**
   * Copy one binary command record (the layout of `CommandBuffer`, 16-56
   * bytes) to byte `offset` of the command region, for {@link applyWritten}.
   * For callers that already hold records in shared memory (the command ring).
   * @param words - any `Int32Array`; the record starts at index `at`.
   * @returns the record's size in bytes (the next record's offset is `offset` plus it).
   */
  putRecord(offset: number, words: Int32Array, at: number): number {
    if (this.draining) reentered();
    const size = bytesOfWords(words[at + 1] >>> 24); // the header's byte 7
    const to = (this.cmdBase + offset) >> 2;
    const i32 = this.i32;
    for (let k = 0; k < size >> 2; k++) i32[to + k] = words[at + k];
    return size;
  }

  /**
   * Apply the records in bytes `0 … bytes-1` of the command region (written
   * by {@link putRecord}); each chunk's events go to `onEvents`, as in
   * {@link applyEncoded}.
   */
  applyWritten(bytes: number, onEvents: EventSink): void {
    if (this.draining) reentered();
    this.draining = true;
    try {
      let done = 0;
      while (done < bytes) {
        done = this.ex.applyBatch(done, bytes);
        this.letReadersIn();
        const count = this.ex.eventCount();
        this.covering(count);
        this.cursor.reset(this.u8, this.u32, this.f64, this.evBase, count);
        onEvents(this.cursor);
      }
    } finally {
      this.draining = false;
    }
  }

  /** {@link applyEncoded}, collecting the events as plain objects. */
  applyEncodedEvents(commands: CommandBuffer): BookEvent[] {
    const out: BookEvent[] = [];
    this.applyEncoded(commands, (c) => {
      while (c.next()) out.push(c.toEvent());
    });
    return out;
  }

  // ---- queries -------------------------------------------------------------------

  private levelAt(tick: number): Level {
    const at = this.levelsBase + tick * LEVEL_SIZE;
    return { price: this.minPrice + tick, qty: this.f64[at >> 3], count: this.u32[(at >> 2) + 4] };
  }

  bestBid(): Level | undefined {
    const t = this.ex.bestBidTick();
    return t < 0 ? undefined : this.levelAt(t);
  }

  bestAsk(): Level | undefined {
    const t = this.ex.bestAskTick();
    return t < 0 ? undefined : this.levelAt(t);
  }

  levels(side: Side, limit = Number.POSITIVE_INFINITY): Level[] {
    const s = side === 'buy' ? 0 : 1;
    const out: Level[] = [];
    let t = s === 0 ? this.ex.bestBidTick() : this.ex.bestAskTick();
    for (let n = 0; t >= 0 && n < limit; n++) {
      out.push(this.levelAt(t));
      t = this.ex.nextLevel(s, t);
    }
    return out;
  }

  depth(limit?: number): Depth {
    return { bids: this.levels('buy', limit), asks: this.levels('sell', limit) };
  }

  ordersAt(side: Side, price: number): RestingOrder[] {
    const out: RestingOrder[] = [];
    if (!Number.isInteger(price) || price < this.minPrice || price > this.maxPrice) return out;
    const L = (this.levelsBase + (price - this.minPrice) * LEVEL_SIZE) >> 2;
    const s = side === 'buy' ? 0 : 1;
    if (this.u32[L + 4] === 0 || this.u32[L + 5] !== s) return out;
    for (let o = this.u32[L + 2]; o !== 0; o = this.u32[(o >> 2) + 9]) {
      const i = o >> 3;
      out.push({ id: this.f64[i], qty: this.f64[i + 1], owner: this.f64[i + 3] });
    }
    return out;
  }

  /** True when a resting order has this id (cheaper than {@link order}). */
  has(id: number): boolean {
    return typeof id === 'number' && this.ex.findOrder(id) !== 0;
  }

  order(id: number): OrderInfo | undefined {
    if (typeof id !== 'number') return undefined;
    const o = this.ex.findOrder(id);
    if (o === 0) return undefined;
    return this.orderAt(o);
  }

  private orderAt(o: number): OrderInfo {
    const i = o >> 3;
    const kind = this.ex.orderStopKind(o);
    if (kind !== 0) {
      const info: OrderInfo = {
        id: this.f64[i],
        side: SIDE_CODES[this.u8[o + 44]],
        price: kind === 2 ? this.minPrice + (this.u32[(o >> 2) + 10] | 0) : null,
        remaining: this.f64[i + 1],
        filled: 0,
        status: 'untriggered',
        owner: this.f64[i + 3],
        stp: STP_CODES[this.u8[o + ORDER_STP]],
        postOnly: false,
      };
      const expiresAt = this.ex.orderExpiry(o);
      if (expiresAt !== 0) info.expiresAt = expiresAt;
      info.trigger = this.ex.orderTrigger(o);
      info.timeInForce = TIF_CODES[this.ex.orderStopTif(o)];
      return info;
    }
    const filled = this.f64[i + 2];
    const displayed = this.f64[i + 1];
    const info: OrderInfo = {
      id: this.f64[i],
      side: SIDE_CODES[this.u8[o + 44]],
      price: this.minPrice + (this.u32[(o >> 2) + 10] | 0),
      remaining: this.u8[o + ORDER_ICEBERG] !== 0 ? displayed + this.ex.orderHidden(o) : displayed,
      filled,
      status: filled > 0 ? 'partially-filled' : 'new',
      owner: this.f64[i + 3],
      stp: STP_CODES[this.u8[o + ORDER_STP]],
      postOnly: this.u8[o + ORDER_POST_ONLY] === 1,
    };
    const expiresAt = this.ex.orderExpiry(o);
    if (expiresAt !== 0) info.expiresAt = expiresAt;
    if (this.u8[o + ORDER_ICEBERG] !== 0) {
      info.displayQty = this.ex.orderDisplayQty(o);
      info.displayed = displayed;
    }
    return info;
  }

  // ---- other threads -------------------------------------------------------------

  /**
   * What a `BookReader` in another thread needs to read this book's L1/L2
   * and sequence straight from its shared memory. Plain numbers and a
   * `SharedArrayBuffer`: pass it in `workerData` or `postMessage`.
   * Only this thread may send commands to the book; readers never message it.
   */
  readerDescriptor(): BookReaderDescriptor {
    return {
      buffer: this.memory.buffer,
      minPrice: this.minPrice,
      ticks: this.ex.geometry(GEO_TICKS),
      levelsBase: this.levelsBase,
      bitsTable: this.ex.geometry(GEO_BITS_TABLE),
      bitLevels: this.ex.geometry(GEO_BIT_LEVELS),
    };
  }

  // ---- self-checks -----------------------------------------------------------------

  /**
   * Check the matcher's memory against itself: every level's FIFO links,
   * count and total; sides and best prices against the bitsets; every resting
   * order reachable by id; the free list. Throws an `Error` naming the first
   * broken rule. Scans the whole ladder: for tests and debugging.
   */
  checkInvariants(): void {
    this.refreshViews();
    const { u8, u32, f64, ex } = this;
    const ticks = ex.geometry(GEO_TICKS);
    const fail = (what: string) => {
      throw new Error(`wasm book invariant broken: ${what}`);
    };
    const found: number[][] = [[], []];
    let resting = 0;
    for (let t = 0; t < ticks; t++) {
      const L = (this.levelsBase + t * LEVEL_SIZE) >> 2;
      const count = u32[L + 4];
      if (count === 0) continue;
      const side = u32[L + 5];
      if (side > 1) fail(`level ${t} has side ${side}`);
      found[side].push(t);
      let n = 0;
      let total = 0;
      let prev = 0;
      for (let o = u32[L + 2]; o !== 0; o = u32[(o >> 2) + 9]) {
        if (++n > count) fail(`level ${t} holds more orders than its count ${count}`);
        if (u32[(o >> 2) + 8] !== prev) fail(`order at ${o} has a wrong prev link`);
        if (u32[(o >> 2) + 10] !== t || u8[o + ORDER_SIDE] !== side) {
          fail(`order at ${o} is filed at tick ${t} side ${side} but says otherwise`);
        }
        const id = f64[o >> 3];
        if (ex.findOrder(id) !== o) fail(`order ${id} is not found by its id`);
        if (!(f64[(o >> 3) + 1] > 0)) fail(`order ${id} rests with no open quantity`);
        total += f64[(o >> 3) + 1];
        prev = o;
      }
      if (n !== count) fail(`level ${t} links ${n} orders but counts ${count}`);
      if (u32[L + 3] !== prev) fail(`level ${t} tail is not its last order`);
      if (total !== f64[L >> 1]) fail(`level ${t} total ${f64[L >> 1]} but orders sum to ${total}`);
      resting += n;
    }
    const stops = ex.stopsOn(0) + ex.stopsOn(1);
    if (resting + stops !== ex.size()) {
      fail(`size ${ex.size()} but levels hold ${resting} orders and ${stops} stops wait`);
    }
    const walk = (side: number, first: number) => {
      const out: number[] = [];
      for (let t = first; t >= 0; t = ex.nextLevel(side, t)) out.push(t);
      return out;
    };
    const bids = walk(0, ex.bestBidTick());
    const asks = walk(1, ex.bestAskTick());
    if (bids.join() !== found[0].reverse().join()) fail('bid bitsets disagree with the ladder');
    if (asks.join() !== found[1].join()) fail('ask bitsets disagree with the ladder');
    if (bids.length > 0 && asks.length > 0 && bids[0] >= asks[0]) fail('book is crossed');
    let free = 0;
    for (let o = ex.geometry(GEO_FREE_HEAD); o !== 0; o = u32[(o >> 2) + 9]) {
      if (f64[o >> 3] !== 0) fail(`free slot ${o} still has an id`);
      if (++free > ex.geometry(GEO_SLOTS_TOUCHED)) fail('free list has a cycle');
    }
    if (free + resting + stops !== ex.geometry(GEO_SLOTS_TOUCHED)) {
      fail(
        `${free} free + ${resting + stops} live slots but ${ex.geometry(GEO_SLOTS_TOUCHED)} used`,
      );
    }
    this.checkExpiryHeap(resting);
  }

  /** The expiry heap holds exactly the resting good-till-date orders, in heap order. */
  private checkExpiryHeap(resting: number): void {
    const { u32, f64, ex } = this;
    const fail = (what: string) => {
      throw new Error(`wasm book invariant broken: ${what}`);
    };
    const ordersBase = ex.geometry(GEO_ORDERS);
    const expiry = ex.geometry(GEO_EXPIRY) >> 3;
    const pos = ex.geometry(GEO_HEAP_POS) >> 2;
    const heap = ex.geometry(GEO_HEAP) >> 2;
    const slot = (o: number) => (o - ordersBase) / 48;
    const n = ex.expiryHeapSize();
    const key = (o: number): [number, number] => [f64[expiry + slot(o)], f64[o >> 3]];
    for (let i = 1; i <= n; i++) {
      const o = u32[heap + i - 1];
      const [at, id] = key(o);
      if (ex.findOrder(id) !== o) fail(`expiry heap entry ${i} is not a resting order`);
      if (u32[pos + slot(o)] !== i)
        fail(`order ${id} has heap position ${u32[pos + slot(o)]}, not ${i}`);
      if (!(at > ex.getTime())) fail(`order ${id} rests past its expiry ${at}`);
      if (i > 1) {
        const [pat, pid] = key(u32[heap + (i >> 1) - 1]);
        if (pat > at || (pat === at && pid > id)) fail(`expiry heap order broken at ${i}`);
      }
    }
    let gtd = 0;
    for (const side of ['buy', 'sell'] as const) {
      for (const level of this.levels(side)) {
        for (const o of this.ordersAt(side, level.price)) {
          if (this.order(o.id)?.expiresAt !== undefined) gtd++;
        }
      }
    }
    for (const st of this.stops()) if (st.expiresAt !== undefined) gtd++;
    if (gtd !== n)
      fail(`${gtd} good-till-date orders rest but the heap holds ${n} (of ${resting})`);
  }

  // ---- durability hooks ----------------------------------------------------------

  /** Commands applied so far (refused ones do not count). */
  get sequence(): number {
    return this.ex.getSequence();
  }

  /** Apply one command with batch semantics: a refusal is a `rejected` event, not a throw. */
  submit(command: Command): BookEvent[] {
    if (this.draining) reentered();
    // The per-order exports with scalar arguments, refusals as an event: the
    // fastest one-command path (no batch encoding, no throw).
    if (typeof command !== 'object' || command === null) return this.apply([command]);
    let n: number;
    switch (command.kind) {
      case 'limit':
        n = this.ex.limit(
          num(command.id),
          sideCode(command.side),
          num(command.price),
          num(command.qty),
          limitTifCode(command.timeInForce),
          limitPostOnlyCode(command.postOnly),
          ownerCode(command.owner),
          stpCode(command.stp),
          expiryCode(command.expiresAt),
          displayCode(command.displayQty),
        );
        break;
      case 'market':
        n = this.ex.market(
          num(command.id),
          sideCode(command.side),
          marketSize(command),
          marketTifCode(command.timeInForce),
          marketPostOnlyCode((command as { postOnly?: unknown }).postOnly),
          ownerCode(command.owner),
          stpCode(command.stp),
          marketFlags(command),
          num(command.protectionPrice),
        );
        break;
      case 'cancel':
        n = this.ex.cancel(num(command.id));
        break;
      case 'modify': {
        const { price, qty } = command;
        n = this.ex.modify(
          num(command.id),
          num(price),
          num(qty),
          modifyFlags(command),
          num(command.trigger),
        );
        break;
      }
      case 'stop':
        n = this.callStop(command);
        break;
      case 'reduce':
        n = this.ex.reduce(num(command.id), num(command.qty));
        break;
      case 'advance-time':
        n = this.ex.advanceTime(num(command.time));
        break;
      default:
        return this.apply([command]);
    }
    if (n < 0) return [rejectedEvent(commandIdOf(command), WASM_ERROR_CODES[-n - 1])];
    return this.decode(n);
  }

  snapshot(): Uint8Array {
    return snapshotBook(this);
  }

  /**
   * Every resting order for a snapshot, straight from linear memory: a level
   * walk and each queue's links, no map lookup and no query object per order
   * (the public `levels`/`ordersAt`/`order` path took about 0.7 µs an order).
   */
  *[RESTING_ORDERS](): Generator<SnapshotOrder> {
    const { u8, u32, f64, ex } = this;
    const ordersBase = ex.geometry(GEO_ORDERS);
    const expiry = ex.geometry(GEO_EXPIRY) >> 3;
    const iceberg = ex.geometry(GEO_ICEBERG) >> 3;
    for (let s = 0; s < 2; s++) {
      const side = SIDE_CODES[s];
      for (let t = s === 0 ? ex.bestBidTick() : ex.bestAskTick(); t >= 0; t = ex.nextLevel(s, t)) {
        const price = this.minPrice + t;
        const head = u32[(this.levelsBase + t * LEVEL_SIZE + LEVEL_HEAD) >> 2];
        for (let o = head; o !== 0; o = u32[(o + ORDER_NEXT) >> 2]) {
          const i = o >> 3;
          const slot = (o - ordersBase) / ORDER_SIZE;
          const shown = f64[i + 1];
          const isIceberg = u8[o + ORDER_ICEBERG] !== 0;
          yield {
            id: f64[i],
            side,
            price,
            remaining: isIceberg ? shown + f64[iceberg + 2 * slot + 1] : shown,
            filled: f64[i + 2],
            owner: f64[i + 3],
            stp: STP_CODES[u8[o + ORDER_STP]],
            postOnly: u8[o + ORDER_POST_ONLY] === 1,
            expiresAt: f64[expiry + slot],
            displayQty: isIceberg ? f64[iceberg + 2 * slot] : 0,
            displayed: shown,
          };
        }
      }
    }
  }

  stateHash(): string {
    return stateHash(this);
  }

  [RESTORE](
    orders: Iterable<SnapshotOrder>,
    sequence: number,
    time: number,
    stops: Iterable<SnapshotStop>,
    lastPrice: number,
  ): void {
    this.ex.putTime(time);
    this.ex.putLastPrice(lastPrice);
    for (const o of orders) {
      const ok = this.ex.restore(
        o.id,
        sideCode(o.side),
        o.price,
        o.remaining,
        o.filled,
        o.owner,
        STP_CODES.indexOf(o.stp),
        o.postOnly ? 1 : 0,
        o.expiresAt,
        o.displayQty,
        o.displayed,
      );
      if (!ok) throw new TickbookError('CORRUPT_DATA', `snapshot order ${o.id} cannot rest`, o.id);
    }
    for (const s of stops) {
      const ok = this.ex.restoreStopOrder(
        s.id,
        sideCode(s.side),
        s.trigger,
        s.price !== undefined ? 1 : 0,
        s.price ?? 0,
        s.qty,
        stopTifCode(s.timeInForce),
        s.owner,
        STP_CODES.indexOf(s.stp),
        s.expiresAt,
      );
      if (!ok)
        throw new TickbookError('CORRUPT_DATA', `snapshot stop ${s.id} cannot be restored`, s.id);
    }
    this.ex.putSequence(sequence);
  }
}
