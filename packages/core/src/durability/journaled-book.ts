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
  RestingOrder,
  Side,
} from '../types';
import { ByteWriter } from './byte-codec';
import { encodeJournalHeader, writeRecord } from './journal-codec';
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
  submit(command: Command): BookEvent[] {
    return this.apply([command]);
  }

  apply(commands: readonly Command[]): BookEvent[] {
    const events: BookEvent[] = [];
    for (const command of commands) {
      const before = this.inner.sequence;
      for (const e of this.inner.submit(command)) events.push(e);
      if (this.inner.sequence !== before) writeRecord(this.records, this.inner.sequence, command);
    }
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
