/**
 * Order ingress from other threads without `postMessage`: a bounded
 * multi-producer, single-consumer ring of fixed-size command records in a
 * `SharedArrayBuffer`, plus one result ring per producer.
 *
 * Producers (gateway workers) claim a slot with a compare-and-swap on the tail
 * counter, write the command, then publish the slot by bumping its sequence
 * number (the bounded MPMC queue design of D. Vyukov, used here with one
 * consumer). The matching thread drains slots in order, applies each command,
 * and writes a result record into the submitting producer's result ring.
 * A producer's commands are applied in the order it pushed them, so its
 * results come back in that order too.
 *
 * Nothing is dropped or duplicated: a full ring refuses the push (`tryPush`
 * returns false) or makes the producer wait (`push`), and a producer never has
 * more commands in flight than its result ring can hold, so the consumer never
 * blocks on a slow producer. The consumer polls (`drain`) and may sleep when
 * the ring is empty (`wait`); producers waiting for room sleep on the `freed`
 * word, which the consumer bumps once per drained batch, not per slot. Either
 * side notifies only when the other says it sleeps.
 *
 * Into a WASM book, `drain` copies the records straight into the matcher's
 * command region (a region's worth: 1,024 to 3,584 commands) and applies them
 * in one batch call, reading
 * each command's result off the binary events: no object per command or
 * event. Any other book, or a caller that wants the events, gets one
 * `apply([command])` per command.
 *
 * ```
 * header  Int32 × 64, four cache lines: [0] tail | [16] head | [32] slots [33] producers
 *                     [34] result slots | [48] freed (bumped when the consumer frees slots)
 *                     [49] producers waiting [50] 1 while the consumer sleeps in `wait`
 * seq     Int32 × slots              slot i is free for ticket t when seq = t, full when seq = t + 1
 * slots   slots × 64 B               u32 producer | u32 pad | command record (16-56 B)
 * results per producer: Int32 × 32 ([0] taken, [16] posted: two cache lines) + result slots × 32 B
 *         i32 status (-1 applied, else error-code index) | u32 trades | f64 filled | f64 open | f64 pad
 * ```
 */
import type { Book } from '../book';
import { opensCommandCode } from '../command-start';
import { ERROR_CODE_LIST, type ErrorCode } from '../errors';
import type { BookEvent, Command } from '../types';
import {
  CMD_MIN_SIZE,
  CMD_SIZE,
  EV_ACCEPTED,
  EV_CANCELLED,
  EV_MODIFIED,
  EV_REJECTED,
  EV_TRADE,
} from '../wasm/codes';
import { decodeCommand } from '../wasm/decode-command';
import { encodeCommand } from '../wasm/encode';
import type { EventCursor } from '../wasm/event-cursor';
import { WasmBook } from '../wasm/wasm-book';

/**
 * Four 64-byte cache lines: what producers write (the tail), what the
 * consumer writes (the head), the sizes, and the sleep/wake words. Sharing
 * a line between the tail and the head made both cores trade it on every
 * command.
 */
const HEADER_INTS = 64;
const CMD_OFFSET = 8;
const SLOT_SIZE = CMD_OFFSET + CMD_SIZE;
/** A result ring's taken counter and posted counter, each on its own cache line. */
const RESULT_HEADER_BYTES = 128;
const RESULT_SIZE = 32;
const TAIL = 0;
const HEAD = 16;
const SLOT_COUNT = 32;
const PRODUCER_COUNT = 33;
const RESULT_SLOT_COUNT = 34;
const FREED = 48;
const WAITING = 49;
const CONSUMER_SLEEPS = 50;
/** Result ring header (Int32 indexes): taken by the producer, posted by the consumer. */
const TAKEN = 0;
const POSTED = 16;

/** Room for one command record of the largest size, with the views that write it. */
function recordScratch() {
  const buffer = new ArrayBuffer(CMD_SIZE);
  return { u8: new Uint8Array(buffer), i32: new Int32Array(buffer), f64: new Float64Array(buffer) };
}

/** What the matching thread reports back for one command. */
export interface CommandResult {
  /** True when the book applied the command; false when it refused it (see `code`). */
  applied: boolean;
  code: ErrorCode | undefined;
  /** Trades in which this command's order was the taker. */
  trades: number;
  /** Quantity it filled as taker. */
  filled: number;
  /**
   * Its open quantity after the command (resting, for a GTC limit); a market
   * order sized by notional counts it in notional units (0 once it is done).
   */
  open: number;
}

/** Sizes of a ring. */
export interface RingOptions {
  /** Command slots (a power of two). @defaultValue 4096 */
  slots?: number;
  /** Producers that will attach. @defaultValue 4 */
  producers?: number;
  /** Commands one producer may have in flight. @defaultValue 4096 */
  inFlight?: number;
}

/** Everything a thread needs to attach to a ring: pass it in `workerData`. */
export interface RingDescriptor {
  buffer: SharedArrayBuffer;
}

function layout(buffer: SharedArrayBuffer) {
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  const slots = header[SLOT_COUNT];
  const producers = header[PRODUCER_COUNT];
  const resultSlots = header[RESULT_SLOT_COUNT];
  const seqAt = HEADER_INTS * 4;
  const slotsAt = seqAt + slots * 4;
  const resultsAt = slotsAt + slots * SLOT_SIZE;
  const resultBytes = RESULT_HEADER_BYTES + resultSlots * RESULT_SIZE;
  return { header, slots, producers, resultSlots, seqAt, slotsAt, resultsAt, resultBytes };
}

/** Create the shared memory of a ring (on the matching thread). */
export function createCommandRing(options: RingOptions = {}): RingDescriptor {
  const slots = options.slots ?? 4096;
  if (!Number.isInteger(slots) || slots < 2 || (slots & (slots - 1)) !== 0) {
    throw new RangeError('slots must be a power of two >= 2');
  }
  const producers = options.producers ?? 4;
  const inFlight = options.inFlight ?? 4096;
  const bytes =
    HEADER_INTS * 4 +
    slots * 4 +
    slots * SLOT_SIZE +
    producers * (RESULT_HEADER_BYTES + inFlight * RESULT_SIZE);
  const buffer = new SharedArrayBuffer(bytes);
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  header[SLOT_COUNT] = slots;
  header[PRODUCER_COUNT] = producers;
  header[RESULT_SLOT_COUNT] = inFlight;
  const seq = new Int32Array(buffer, HEADER_INTS * 4, slots);
  for (let i = 0; i < slots; i++) seq[i] = i;
  return { buffer };
}

/** The submitting side, one per producer thread. */
export class RingProducer {
  private readonly header: Int32Array;
  private readonly seq: Int32Array;
  private readonly mask: number;
  private readonly slotsAt: number;
  private readonly results: ResultRing;
  private readonly i32: Int32Array;
  /** One record's room, where {@link tryPush} encodes before claiming a slot. */
  private readonly scratch = recordScratch();
  private inFlight = 0;

  /** @param producer - this producer's index, `0 … producers-1`, unique per thread. */
  constructor(
    descriptor: RingDescriptor,
    readonly producer: number,
  ) {
    const l = layout(descriptor.buffer);
    if (!Number.isInteger(producer) || producer < 0 || producer >= l.producers) {
      throw new RangeError(`producer must be an integer in 0..${l.producers - 1}`);
    }
    this.header = l.header;
    this.seq = new Int32Array(descriptor.buffer, l.seqAt, l.slots);
    this.i32 = new Int32Array(descriptor.buffer);
    this.mask = l.slots - 1;
    this.slotsAt = l.slotsAt;
    this.results = new ResultRing(
      descriptor.buffer,
      l.resultsAt + producer * l.resultBytes,
      l.resultSlots,
    );
  }

  /** Commands pushed whose results have not been taken yet. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Submit a command if there is room now.
   * @returns false ("busy") when the ring is full or this producer has its
   * maximum in flight; nothing was enqueued then.
   */
  tryPush(command: Command): boolean {
    if (this.inFlight >= this.results.slots) return false;
    // Encoded before a slot is claimed: a getter that throws leaves the ring as
    // it was (a claimed slot that is never published stops the consumer there).
    const words = encodeCommand(command, this.scratch.u8, this.scratch.f64, 0) >> 2;
    for (;;) {
      const ticket = Atomics.load(this.header, TAIL);
      const i = ticket & this.mask;
      const state = Atomics.load(this.seq, i) - ticket;
      if (state < 0) return false; // the slot still holds an older command: full
      if (state > 0) continue; // another producer took this ticket: reload
      if (Atomics.compareExchange(this.header, TAIL, ticket, ticket + 1) !== ticket) continue;
      const at = this.slotsAt + i * SLOT_SIZE;
      const i32 = this.i32;
      i32[at >> 2] = this.producer;
      // a record says its own size and the consumer reads no byte past it
      const record = (at + CMD_OFFSET) >> 2;
      const src = this.scratch.i32;
      for (let w = 0; w < words; w++) i32[record + w] = src[w];
      Atomics.store(this.seq, i, ticket + 1); // publish
      if (Atomics.load(this.header, CONSUMER_SLEEPS) !== 0) Atomics.notify(this.seq, i);
      this.inFlight++;
      return true;
    }
  }

  /**
   * Submit a command, waiting (blocking this thread, at most `timeoutMs`) while
   * the ring is full. Use from worker threads.
   * @returns false when it timed out; nothing was enqueued then.
   */
  push(command: Command, timeoutMs = 1_000): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read `freed` first: if the consumer frees a slot after this, the wait returns at once.
      const freed = Atomics.load(this.header, FREED);
      if (this.tryPush(command)) return true;
      if (this.inFlight >= this.results.slots) return false; // take results first
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.add(this.header, WAITING, 1);
      Atomics.wait(this.header, FREED, freed, Math.min(left, 10));
      Atomics.sub(this.header, WAITING, 1);
    }
  }

  /** Take the next result (results arrive in push order), or undefined if none yet. */
  takeResult(): CommandResult | undefined {
    const result = this.results.take();
    if (result) this.inFlight--;
    return result;
  }
}

/** The matching thread's side: drains commands into a book. */
export class RingConsumer {
  private readonly header: Int32Array;
  private readonly seq: Int32Array;
  private readonly u8: Uint8Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly view: DataView;
  private readonly mask: number;
  private readonly slots: number;
  private readonly slotsAt: number;
  private readonly results: ResultRing[] = [];

  constructor(descriptor: RingDescriptor) {
    const l = layout(descriptor.buffer);
    this.header = l.header;
    this.seq = new Int32Array(descriptor.buffer, l.seqAt, l.slots);
    this.u8 = new Uint8Array(descriptor.buffer);
    this.i32 = new Int32Array(descriptor.buffer);
    this.f64 = new Float64Array(descriptor.buffer);
    this.view = new DataView(descriptor.buffer);
    this.mask = l.slots - 1;
    this.slots = l.slots;
    this.slotsAt = l.slotsAt;
    for (let p = 0; p < l.producers; p++) {
      this.results.push(
        new ResultRing(descriptor.buffer, l.resultsAt + p * l.resultBytes, l.resultSlots),
      );
    }
  }

  /**
   * Apply up to `max` waiting commands to `book`, in ring order, and post each
   * result to its producer. A {@link WasmBook} without `onEvents` takes the
   * binary path (see the file comment).
   * @param onEvents - optional: sees every applied command's events (market data, journals).
   * @returns the number of commands applied or refused.
   */
  drain(book: Book, max = this.slots, onEvents?: (events: BookEvent[]) => void): number {
    if (!onEvents && book instanceof WasmBook) return this.drainWasm(book, max);
    let done = 0;
    while (done < max) {
      const ticket = this.header[HEAD];
      const i = ticket & this.mask;
      if (Atomics.load(this.seq, i) !== ticket + 1) break; // nothing published there yet
      const at = this.slotsAt + i * SLOT_SIZE;
      const producer = this.view.getUint32(at, true);
      const command = decodeCommand(this.u8, this.f64, at + CMD_OFFSET);
      const events = book.apply([command]);
      Atomics.store(this.header, HEAD, ticket + 1);
      Atomics.store(this.seq, i, ticket + this.slots); // free for the ticket one lap later
      this.results[producer].post(summarise(events, (command as { id?: number } | null)?.id ?? 0));
      onEvents?.(events);
      done++;
    }
    if (done > 0) this.freed();
    return done;
  }

  /**
   * Sleep until a command is waiting (or `timeoutMs` passes); for an idle
   * matching thread, instead of spinning on {@link drain}.
   * @returns true when a command is waiting.
   */
  wait(timeoutMs: number): boolean {
    const ticket = this.header[HEAD];
    const i = ticket & this.mask;
    // Say so before looking: a producer publishing now either sees the flag and
    // notifies, or published before the look below and the wait returns at once.
    Atomics.store(this.header, CONSUMER_SLEEPS, 1);
    const seen = Atomics.load(this.seq, i);
    if (seen !== ticket + 1) Atomics.wait(this.seq, i, seen, timeoutMs);
    Atomics.store(this.header, CONSUMER_SLEEPS, 0);
    return Atomics.load(this.seq, i) === ticket + 1;
  }

  /** Tell producers waiting in `push` that slots were freed. */
  private freed(): void {
    Atomics.add(this.header, FREED, 1);
    if (Atomics.load(this.header, WAITING) > 0) Atomics.notify(this.header, FREED);
  }

  // ---- the WASM fast path: records copied straight into the book, no object per command ----

  /** Producer of each command in the batch being applied. */
  private batchProducer = new Int32Array(0);
  /** Id of each command in the batch being applied. */
  private batchId = new Float64Array(0);
  /** Command of the batch whose events are being read (-1: none yet). */
  private current = -1;
  /** The current command's result is not posted yet. */
  private unposted = false;
  private status = -1;
  private trades = 0;
  private filled = 0;
  private open = 0;
  private readonly summarise = (c: EventCursor): void => this.summariseChunk(c);

  /**
   * Copy up to a command region's worth of published records into the book,
   * free their slots, apply them in one batch call, and post each result.
   */
  private drainWasm(book: WasmBook, max: number): number {
    const region = book.commandRegionBytes;
    const capacity = region / CMD_MIN_SIZE; // commands one region can hold
    if (this.batchId.length < capacity) {
      this.batchProducer = new Int32Array(capacity);
      this.batchId = new Float64Array(capacity);
    }
    let done = 0;
    while (done < max) {
      const limit = max - done;
      let n = 0;
      let bytes = 0;
      let ticket = this.header[HEAD]; // only this thread writes it
      while (n < limit && bytes + CMD_SIZE <= region) {
        const i = ticket & this.mask;
        if (Atomics.load(this.seq, i) !== ticket + 1) break; // nothing published there yet
        const at = this.slotsAt + i * SLOT_SIZE;
        this.batchProducer[n] = this.i32[at >> 2];
        this.batchId[n] = this.f64[(at + CMD_OFFSET + 8) >> 3];
        bytes += book.putRecord(bytes, this.i32, (at + CMD_OFFSET) >> 2);
        Atomics.store(this.seq, i, ticket + this.slots); // copied: free for the ticket one lap later
        ticket++;
        n++;
      }
      if (n === 0) break;
      Atomics.store(this.header, HEAD, ticket);
      this.freed();
      this.current = -1;
      this.unposted = false;
      book.applyWritten(bytes, this.summarise);
      this.postCurrent();
      done += n;
    }
    return done;
  }

  /**
   * Read one chunk of a batch's events: `opensCommandCode` marks where each
   * command starts (one command's events may span chunks).
   */
  private summariseChunk(c: EventCursor): void {
    while (c.next()) {
      const type = c.type;
      if (opensCommandCode(type, c.aux)) {
        this.postCurrent();
        this.current++;
        this.unposted = true;
        this.status = type === EV_REJECTED ? c.aux : -1;
        this.trades = 0;
        this.filled = 0;
        this.open = 0;
      }
      const id = this.batchId[this.current];
      if (type === EV_TRADE) {
        if (c.takerId === id) {
          this.trades++;
          this.filled += c.qty;
          this.open = c.takerRemaining;
        }
      } else if (type === EV_ACCEPTED || type === EV_MODIFIED) {
        if (c.id === id) this.open = c.qty;
      } else if (type === EV_CANCELLED && c.id === id) {
        this.open = c.remaining;
      }
    }
  }

  private postCurrent(): void {
    if (!this.unposted) return;
    this.unposted = false;
    const j = this.current;
    this.results[this.batchProducer[j]].postRaw(this.status, this.trades, this.filled, this.open);
  }
}

/** Boil one command's events down to its result. */
function summarise(events: readonly BookEvent[], id: number): CommandResult {
  const first = events[0];
  if (first?.type === 'rejected') {
    return { applied: false, code: first.code, trades: 0, filled: 0, open: 0 };
  }
  let trades = 0;
  let filled = 0;
  let open = 0;
  for (const e of events) {
    if (e.type === 'accepted' && e.id === id) open = e.qty ?? e.notional ?? 0;
    else if (e.type === 'modified' && e.id === id) open = e.qty;
    else if (e.type === 'trade' && e.takerId === id) {
      trades++;
      filled += e.qty;
      open = e.takerRemaining;
    } else if (e.type === 'cancelled' && e.id === id) open = e.remaining;
  }
  return { applied: true, code: undefined, trades, filled, open };
}

/** One producer's single-producer (matching thread), single-consumer result ring. */
class ResultRing {
  private readonly head: Int32Array;
  private readonly view: DataView;
  private readonly base: number;

  constructor(
    buffer: SharedArrayBuffer,
    at: number,
    readonly slots: number,
  ) {
    this.head = new Int32Array(buffer, at, RESULT_HEADER_BYTES >> 2); // [TAKEN], [POSTED]
    this.view = new DataView(buffer);
    this.base = at + RESULT_HEADER_BYTES;
  }

  post(r: CommandResult): void {
    this.postRaw(r.applied ? -1 : ERROR_CODE_LIST.indexOf(r.code!), r.trades, r.filled, r.open);
  }

  /** @param status - -1 applied, else the error code's index in ERROR_CODE_LIST. */
  postRaw(status: number, trades: number, filled: number, open: number): void {
    const tail = this.head[POSTED];
    const at = this.base + (tail % this.slots) * RESULT_SIZE;
    this.view.setInt32(at, status, true);
    this.view.setUint32(at + 4, trades, true);
    this.view.setFloat64(at + 8, filled, true);
    this.view.setFloat64(at + 16, open, true);
    Atomics.store(this.head, POSTED, tail + 1);
  }

  take(): CommandResult | undefined {
    const head = this.head[TAKEN];
    if (Atomics.load(this.head, POSTED) === head) return undefined;
    const at = this.base + (head % this.slots) * RESULT_SIZE;
    const status = this.view.getInt32(at, true);
    const result: CommandResult = {
      applied: status < 0,
      code: status < 0 ? undefined : ERROR_CODE_LIST[status],
      trades: this.view.getUint32(at + 4, true),
      filled: this.view.getFloat64(at + 8, true),
      open: this.view.getFloat64(at + 16, true),
    };
    Atomics.store(this.head, TAKEN, head + 1);
    return result;
  }
}
