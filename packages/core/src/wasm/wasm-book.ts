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
import { BookMemory } from './book-memory';
import {
  BITS_READERS_WAITING,
  BITS_SEQLOCK,
  CMD_WORDS,
  EV_SIZE,
  GEO_BIT_LEVELS,
  GEO_BITS_TABLE,
  GEO_CMD_REGION,
  GEO_COMMANDS,
  GEO_EVENTS,
  GEO_EXPIRY,
  GEO_ICEBERG,
  GEO_LEVELS,
  GEO_ORDERS,
  GEO_TICKS,
  STP_CODES,
  WASM_ERROR_CODES,
} from './codes';
import type { CommandBuffer } from './command-buffer';
import {
  bytesOfWords,
  displayCode,
  encodeStop,
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
  stpCode,
} from './encode';
import { decodeEvent, decodeEvents, EventCursor } from './event-cursor';
import { checkMatcherMemory } from './invariants';
import { MemoryView } from './memory-view';
import { createMatcher, isWasmTrap, type MatcherExports, type WasmMemory } from './module';

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

/** {@link WasmBook}'s state: taking commands, inside an event callback, or failed. */
const READY = 0;
const DRAINING = 1;
const FAILED = 2;

function reentered(): never {
  throw new Error(
    'tickbook: a command was sent to a WASM book from inside its own applyEncoded event callback; ' +
      'collect what you need and send it after applyEncoded returns',
  );
}

function engineFailed(): never {
  throw new TickbookError(
    'ENGINE_FAILED',
    'an earlier command failed inside the matcher; restore the book from a snapshot or its journal',
  );
}

/** The refusal of a command no per-order export takes: not an object, or an unknown kind. */
function unrunnable(command: unknown): BookEvent {
  const code = typeof command === 'object' && command !== null ? 'INVALID_TYPE' : 'INVALID_COMMAND';
  return rejectedEvent(commandIdOf(command), code);
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
  /** Named reads of the book's records (queries, snapshots, self-checks). */
  private readonly view: MemoryView;
  /** The book's state read from its memory: levels, orders, stops. */
  private readonly stored: BookMemory;
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
  /**
   * READY; DRAINING while an `applyEncoded` sink runs (the regions it reads
   * must not be reused); FAILED after a fault inside the matcher: every
   * later command is refused with ENGINE_FAILED.
   */
  private state = READY;
  /** Int32 index of the seqlock counter (see {@link fault}). */
  private readonly seqlockIndex: number;
  /**
   * Events a command handed over mid-way because the event region was full
   * (see {@link onSpill}): the events so far of the per-order call or `apply` command running.
   */
  private spilled: BookEvent[] | null = null;
  /** The batch consumer spilled events go to, while `applyEncoded`/`applyWritten` run. */
  private sink: EventSink | null = null;
  /** True while a sink path runs, even without a sink (its events are then dropped). */
  private sinking = false;
  /** The sink threw on spilled events: the batch stops after that command and this is rethrown. */
  private sinkError: { error: unknown } | null = null;

  constructor(readonly config: ResolvedConfig) {
    this.minPrice = config.minPrice;
    this.maxPrice = config.maxPrice;
    const m = createMatcher(
      config.minPrice,
      config.maxPrice,
      config.capacity,
      STP_CODES.indexOf(config.stpMode),
      (count) => this.onSpill(count),
    );
    this.ex = m.exports;
    this.memory = m.memory;
    this.view = new MemoryView(
      m.memory,
      this.ex.geometry(GEO_ORDERS),
      this.ex.geometry(GEO_ICEBERG),
      this.ex.geometry(GEO_EXPIRY),
    );
    this.levelsBase = this.ex.geometry(GEO_LEVELS);
    this.stored = new BookMemory(
      this.view,
      this.ex,
      config.minPrice,
      config.maxPrice,
      this.levelsBase,
    );
    this.cmdBase = this.ex.geometry(GEO_COMMANDS);
    this.evBase = this.ex.geometry(GEO_EVENTS);
    this.cmdRegion = this.ex.geometry(GEO_CMD_REGION);
    this.waitingIndex = (this.ex.geometry(GEO_BITS_TABLE) + BITS_READERS_WAITING) >> 2;
    this.seqlockIndex = (this.ex.geometry(GEO_BITS_TABLE) + BITS_SEQLOCK) >> 2;
    this.refreshViews();
  }

  /** True after a fault inside the matcher: the book refuses every command with ENGINE_FAILED. */
  get failed(): boolean {
    return this.state === FAILED;
  }

  /** Why a command could not start: inside an event callback, or the book failed. */
  private blocked(): never {
    if (this.state === FAILED) engineFailed();
    reentered();
  }

  /**
   * The matcher's event region filled up in the middle of a command (a sweep
   * that meets icebergs many times, a stop cascade): take the `count` events
   * at its start before it writes over them. Runs inside the command's write
   * window, so readers on other threads wait it out.
   */
  private onSpill(count: number): number {
    if (!this.sinking) {
      const out = this.spilled ?? [];
      decodeEvents(this.u32, this.f64, this.evBase, count, out);
      this.spilled = out;
      return 0;
    }
    const sink = this.sink;
    if (sink === null || this.sinkError !== null) return this.sinkError !== null ? 1 : 0;
    this.cursor.reset(this.u8, this.u32, this.f64, this.evBase, count);
    try {
      sink(this.cursor);
      return 0;
    } catch (error) {
      // an exception must not unwind through the matcher mid-command: the
      // command finishes, the batch stops there, and the error is rethrown
      this.sinkError = { error };
      return 1;
    }
  }

  /**
   * An exception out of a matcher call. A trap (or anything thrown while a
   * write window is open) may have left the book half-changed: the book
   * closes the window so readers never hang, marks itself failed and
   * answers ENGINE_FAILED from now on. Anything else (thrown while reading
   * the caller's arguments) is passed on as it is.
   */
  private fault(e: unknown): unknown {
    const i32 = this.i32;
    const open = (Atomics.load(i32, this.seqlockIndex) & 1) !== 0;
    if (!isWasmTrap(e) && !open) return e;
    this.state = FAILED;
    this.spilled = null;
    if (open) Atomics.add(i32, this.seqlockIndex, 1);
    return new TickbookError('ENGINE_FAILED', `the matcher failed mid-command: ${String(e)}`);
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

  /** The hot paths' typed arrays (the memory never grows after init, so set once). */
  private refreshViews(): void {
    const v = this.view;
    this.u8 = v.u8;
    this.u32 = v.u32;
    this.i32 = v.i32;
    this.f64 = v.f64;
  }

  private decode(count: number): BookEvent[] {
    if (this.spilled !== null) return this.withSpilled(count);
    const { u32, f64 } = this;
    const at = this.evBase;
    // Most calls return one to five events (W1: 94 % two or fewer, 4 % four
    // or five): an array literal allocates their exact length, where push()
    // on [] allocates room for 16 and, where V8 does not inline it, costs a
    // builtin call per event.
    switch (count) {
      case 1:
        return [decodeEvent(u32, f64, at)];
      case 2:
        return [decodeEvent(u32, f64, at), decodeEvent(u32, f64, at + EV_SIZE)];
      case 3:
        return [
          decodeEvent(u32, f64, at),
          decodeEvent(u32, f64, at + EV_SIZE),
          decodeEvent(u32, f64, at + 2 * EV_SIZE),
        ];
      case 4:
        return [
          decodeEvent(u32, f64, at),
          decodeEvent(u32, f64, at + EV_SIZE),
          decodeEvent(u32, f64, at + 2 * EV_SIZE),
          decodeEvent(u32, f64, at + 3 * EV_SIZE),
        ];
      case 5:
        return [
          decodeEvent(u32, f64, at),
          decodeEvent(u32, f64, at + EV_SIZE),
          decodeEvent(u32, f64, at + 2 * EV_SIZE),
          decodeEvent(u32, f64, at + 3 * EV_SIZE),
          decodeEvent(u32, f64, at + 4 * EV_SIZE),
        ];
      default: {
        const out: BookEvent[] = [];
        decodeEvents(u32, f64, at, count, out);
        return out;
      }
    }
  }

  /** Move the events a command handed over mid-way to the end of `out`. */
  private moveSpilled(out: BookEvent[]): void {
    const spilled = this.spilled as BookEvent[];
    this.spilled = null;
    for (let i = 0; i < spilled.length; i++) out.push(spilled[i]);
  }

  /** A command that spilled: the events handed over mid-way, then the last `count`. */
  private withSpilled(count: number): BookEvent[] {
    const out = this.spilled as BookEvent[];
    this.spilled = null;
    decodeEvents(this.u32, this.f64, this.evBase, count, out);
    return out;
  }

  get size(): number {
    return this.ex.size();
  }

  // ---- per-order API -----------------------------------------------------------

  limit(order: LimitOrder): BookEvent[] {
    if (this.state !== READY) this.blocked();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    let n: number;
    try {
      n = this.ex.limit(
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
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  market(order: MarketOrder): BookEvent[] {
    if (this.state !== READY) this.blocked();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    let n: number;
    try {
      const { qty, notional, protectionPrice } = order;
      n = this.ex.market(
        num(order.id),
        sideCode(order.side),
        marketSize(qty, notional),
        marketTifCode(order.timeInForce),
        marketPostOnlyCode((order as { postOnly?: unknown }).postOnly),
        ownerCode(order.owner),
        stpCode(order.stp),
        marketFlags(qty, notional, protectionPrice),
        num(protectionPrice),
      );
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  cancel(id: number): BookEvent[] {
    if (this.state !== READY) this.blocked();
    let n: number;
    try {
      n = this.ex.cancel(num(id));
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, id, id);
    return this.decode(n);
  }

  modify(request: ModifyRequest): BookEvent[] {
    if (this.state !== READY) this.blocked();
    if (typeof request !== 'object' || request === null) invalidCommand(undefined);
    const { price, qty, trigger } = request;
    let n: number;
    try {
      n = this.ex.modify(
        num(request.id),
        num(price),
        num(qty),
        modifyFlags(price, qty, trigger),
        num(trigger),
      );
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, request.id, request);
    return this.decode(n);
  }

  reduce(request: ReduceRequest): BookEvent[] {
    if (this.state !== READY) this.blocked();
    if (typeof request !== 'object' || request === null) invalidCommand(undefined);
    let n: number;
    try {
      n = this.ex.reduce(num(request.id), num(request.qty));
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, request.id, request);
    return this.decode(n);
  }

  stop(order: StopOrder): BookEvent[] {
    if (this.state !== READY) this.blocked();
    if (typeof order !== 'object' || order === null) invalidCommand(undefined);
    let n: number;
    try {
      n = this.callStop(order);
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, order.id, order);
    return this.decode(n);
  }

  /**
   * A stop through its record, written in the room just past the batch
   * region (records placed with `putRecord` stay as they are).
   */
  private callStop(order: StopOrder): number {
    encodeStop(order, this.u8, this.f64, this.cmdBase + this.cmdRegion);
    return this.ex.stop(this.cmdRegion);
  }

  stops(): OrderInfo[] {
    return this.stored.stops();
  }

  /** Price of the last trade; `undefined` before the first. */
  get lastPrice(): number | undefined {
    const p = this.ex.getLastPrice();
    return p === 0 ? undefined : p;
  }

  advanceTime(time: number): BookEvent[] {
    if (this.state !== READY) this.blocked();
    let n: number;
    try {
      n = this.ex.advanceTime(num(time));
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) throw refusalOf(n, undefined, time);
    return this.decode(n);
  }

  get nextExpiry(): number | undefined {
    const t = this.ex.nextExpiry();
    return t === 0 ? undefined : t;
  }

  /** The book's time (moved only by {@link advanceTime}). */
  get time(): number {
    return this.ex.getTime();
  }

  // ---- batch API ---------------------------------------------------------------

  apply(commands: readonly Command[]): BookEvent[] {
    checkBatch(commands);
    if (this.state !== READY) this.blocked();
    const out: BookEvent[] = [];
    // One per-order export call per command: for commands given as objects this
    // is cheaper than encoding them into the command region first (the binary
    // path, applyEncoded, is the one that batches). A command that fills the
    // event region hands its first events over early, as a per-order call's
    // do; they are moved to `out` after it. (`out` is not the spill target
    // itself: a getter on a command may call this book, and that call's
    // events are its own.)
    try {
      for (let k = 0; k < commands.length; k++) {
        const c = commands[k];
        const n = this.runOne(c);
        if (this.spilled !== null) this.moveSpilled(out);
        if (n >= 0) decodeEvents(this.u32, this.f64, this.evBase, n, out);
        else if (n < 0) out.push(rejectedEvent(commandIdOf(c), WASM_ERROR_CODES[-n - 1]));
        else out.push(unrunnable(c));
      }
    } catch (e) {
      throw this.fault(e);
    } finally {
      this.spilled = null;
    }
    return out;
  }

  /**
   * Apply binary commands, the fast batch path: no object per command or
   * event. Refused commands emit `rejected` events, as in {@link apply}.
   * @param onEvents - called with each chunk's events (at most a few
   *   thousand at a time), in order; omitted: events are dropped. One
   *   command's events may span chunks. If it throws, no command after the
   *   one whose events it was given is applied, and the error is rethrown.
   */
  applyEncoded(commands: CommandBuffer, onEvents?: EventSink): void {
    checkCommandBuffer(commands);
    if (this.state !== READY) this.blocked();
    this.state = DRAINING;
    this.sinking = true;
    this.sink = onEvents ?? null;
    try {
      this.runEncoded(commands, onEvents);
    } catch (e) {
      throw this.fault(e);
    } finally {
      this.endSink();
    }
  }

  /** Leave a sink path: back to READY unless the book failed on the way. */
  private endSink(): void {
    if (this.state === DRAINING) this.state = READY;
    this.sinking = false;
    this.sink = null;
    const failure = this.sinkError;
    this.sinkError = null;
    if (failure !== null) throw failure.error;
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
        if (this.sinkError !== null) return;
        if (onEvents) {
          this.cursor.reset(this.u8, this.u32, this.f64, this.evBase, this.ex.eventCount());
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
    if (this.state !== READY) this.blocked();
    const size = bytesOfWords((words[at + (CMD_WORDS >> 2)] >>> ((CMD_WORDS & 3) * 8)) & 0xff);
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
    if (this.state !== READY) this.blocked();
    this.state = DRAINING;
    this.sinking = true;
    this.sink = onEvents;
    try {
      let done = 0;
      while (done < bytes) {
        done = this.ex.applyBatch(done, bytes);
        this.letReadersIn();
        if (this.sinkError !== null) return;
        this.cursor.reset(this.u8, this.u32, this.f64, this.evBase, this.ex.eventCount());
        onEvents(this.cursor);
      }
    } catch (e) {
      throw this.fault(e);
    } finally {
      this.endSink();
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

  bestBid(): Level | undefined {
    const t = this.ex.bestBidTick();
    return t < 0 ? undefined : this.stored.levelAt(t);
  }

  bestAsk(): Level | undefined {
    const t = this.ex.bestAskTick();
    return t < 0 ? undefined : this.stored.levelAt(t);
  }

  levels(side: Side, limit = Number.POSITIVE_INFINITY): Level[] {
    return this.stored.levels(side, limit);
  }

  depth(limit?: number): Depth {
    return { bids: this.levels('buy', limit), asks: this.levels('sell', limit) };
  }

  ordersAt(side: Side, price: number): RestingOrder[] {
    return this.stored.ordersAt(side, price);
  }

  /** True when a resting order has this id (cheaper than {@link order}). */
  has(id: number): boolean {
    return typeof id === 'number' && this.ex.findOrder(id) !== 0;
  }

  order(id: number): OrderInfo | undefined {
    if (typeof id !== 'number') return undefined;
    const o = this.ex.findOrder(id);
    if (o === 0) return undefined;
    return this.stored.orderInfo(o);
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
   * Check the matcher's memory against itself (invariants.ts); throws an
   * `Error` naming the first broken rule. Scans the whole ladder: for tests
   * and debugging.
   */
  checkInvariants(): void {
    checkMatcherMemory(this.view, this.ex, this);
  }

  // ---- durability hooks ----------------------------------------------------------

  /** Commands applied so far (refused ones do not count). */
  get sequence(): number {
    return this.ex.getSequence();
  }

  /** Apply one command with batch semantics: a refusal is a `rejected` event, not a throw. */
  submit(command: Command): BookEvent[] {
    if (this.state !== READY) this.blocked();
    let n: number;
    try {
      n = this.runOne(command);
    } catch (e) {
      throw this.fault(e);
    }
    if (n < 0) return [rejectedEvent(commandIdOf(command), WASM_ERROR_CODES[-n - 1])];
    if (Number.isNaN(n)) return [unrunnable(command)];
    return this.decode(n);
  }

  /**
   * One command through the per-order exports (scalar arguments, no batch
   * encoding, no throw): the number of events it wrote at the event base, a
   * negative refusal code, or NaN for a command no export takes (not an
   * object, or an unknown kind).
   */
  private runOne(command: Command): number {
    if (typeof command !== 'object' || command === null) return Number.NaN;
    switch (command.kind) {
      case 'limit':
        return this.ex.limit(
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
      case 'market': {
        const { qty, notional, protectionPrice } = command;
        return this.ex.market(
          num(command.id),
          sideCode(command.side),
          marketSize(qty, notional),
          marketTifCode(command.timeInForce),
          marketPostOnlyCode((command as { postOnly?: unknown }).postOnly),
          ownerCode(command.owner),
          stpCode(command.stp),
          marketFlags(qty, notional, protectionPrice),
          num(protectionPrice),
        );
      }
      case 'cancel':
        return this.ex.cancel(num(command.id));
      case 'modify': {
        const { price, qty, trigger } = command;
        return this.ex.modify(
          num(command.id),
          num(price),
          num(qty),
          modifyFlags(price, qty, trigger),
          num(trigger),
        );
      }
      case 'stop':
        return this.callStop(command);
      case 'reduce':
        return this.ex.reduce(num(command.id), num(command.qty));
      case 'advance-time':
        return this.ex.advanceTime(num(command.time));
      default:
        return Number.NaN;
    }
  }

  snapshot(): Uint8Array {
    return snapshotBook(this);
  }

  /** Every resting order for a snapshot, straight from linear memory. */
  [RESTING_ORDERS](): Generator<SnapshotOrder> {
    return this.stored.restingOrders();
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
    try {
      this.stored.load(
        orders,
        sequence,
        time,
        stops,
        lastPrice,
        this.u8,
        this.f64,
        this.cmdBase,
        this.cmdRegion,
      );
    } catch (e) {
      throw this.fault(e);
    }
  }
}
