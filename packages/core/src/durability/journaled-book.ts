/**
 * A book that journals every applied command before acknowledging it: the
 * call returns only after the command's record is written (and, with the
 * `batch` fsync policy, on disk). Refused commands are not journalled.
 */
import type { Book } from '../book';
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
import { ByteWriter } from './byte-codec';
import {
  beginRecord,
  encodeJournalHeader,
  endRecord,
  writeCommand,
  writeRecord,
} from './journal-codec';
import type { JournalSink } from './sinks';

/** Any book can be journaled (kept as a name for the role). */
export type JournalableBook = Book;

export class JournaledBook implements Book {
  private readonly records = new ByteWriter();

  constructor(
    readonly inner: JournalableBook,
    readonly sink: JournalSink,
  ) {
    if (sink.size === 0) {
      sink.write(encodeJournalHeader(inner.config));
      sink.commit();
    }
  }

  get engine() {
    return this.inner.engine;
  }
  get config() {
    return this.inner.config;
  }
  get size(): number {
    return this.inner.size;
  }
  get sequence(): number {
    return this.inner.sequence;
  }

  limit(order: LimitOrder): BookEvent[] {
    return this.journal({ kind: 'limit', ...order }, () => this.inner.limit(order));
  }
  market(order: MarketOrder): BookEvent[] {
    return this.journal({ kind: 'market', ...order }, () => this.inner.market(order));
  }
  cancel(id: number): BookEvent[] {
    return this.journal({ kind: 'cancel', id }, () => this.inner.cancel(id));
  }
  modify(request: ModifyRequest): BookEvent[] {
    return this.journal({ kind: 'modify', ...request }, () => this.inner.modify(request));
  }
  reduce(request: ReduceRequest): BookEvent[] {
    return this.journal({ kind: 'reduce', ...request }, () => this.inner.reduce(request));
  }
  stop(order: StopOrder): BookEvent[] {
    return this.journal({ kind: 'stop', ...order }, () => this.inner.stop(order));
  }
  get lastPrice(): number | undefined {
    return this.inner.lastPrice;
  }
  stops(): OrderInfo[] {
    return this.inner.stops();
  }
  advanceTime(time: number): BookEvent[] {
    return this.journal({ kind: 'advance-time', time }, () => this.inner.advanceTime(time));
  }
  get time(): number {
    return this.inner.time;
  }
  submit(command: Command): BookEvent[] {
    return this.apply([command]);
  }

  apply(commands: readonly Command[]): BookEvent[] {
    const first = this.inner.sequence + 1;
    const events = this.inner.apply(commands);
    const record = beginRecord(this.records, first);
    // Journal the applied commands, in order. Each command's events start with
    // exactly one of: accepted (limit, market), modified (modify), a `user`
    // cancel (cancel, reduce), time-advanced (advance-time) or rejected (refused: not journalled) — see
    // docs/semantics.md — so the starts split the stream per command.
    let sequence = first;
    let index = -1;
    for (const e of events) {
      const start =
        e.type === 'accepted' ||
        e.type === 'modified' ||
        e.type === 'rejected' ||
        e.type === 'time-advanced' ||
        (e.type === 'cancelled' && e.reason === 'user');
      if (!start) continue;
      index++;
      if (e.type !== 'rejected') {
        writeCommand(this.records, commands[index]);
        sequence++;
      }
    }
    if (index !== commands.length - 1 || sequence !== this.inner.sequence + 1) {
      throw new Error('journal: events do not split into one run per command');
    }
    if (sequence > first) endRecord(this.records, record, sequence - first);
    else this.records.reset(); // nothing applied: no record
    this.flush();
    return events;
  }

  /** Run one per-order call; a throw (refusal) writes nothing. */
  private journal(command: Command, run: () => BookEvent[]): BookEvent[] {
    const events = run();
    writeRecord(this.records, this.inner.sequence, command);
    this.flush();
    return events;
  }

  private flush(): void {
    if (this.records.length > 0) {
      this.sink.write(this.records.written());
      this.records.reset();
    }
    this.sink.commit();
  }

  bestBid(): Level | undefined {
    return this.inner.bestBid();
  }
  bestAsk(): Level | undefined {
    return this.inner.bestAsk();
  }
  levels(side: Side, limit?: number): Level[] {
    return this.inner.levels(side, limit);
  }
  depth(limit?: number): Depth {
    return this.inner.depth(limit);
  }
  ordersAt(side: Side, price: number): RestingOrder[] {
    return this.inner.ordersAt(side, price);
  }
  order(id: number): OrderInfo | undefined {
    return this.inner.order(id);
  }
  snapshot(): Uint8Array {
    return this.inner.snapshot();
  }
  stateHash(): string {
    return this.inner.stateHash();
  }
}
