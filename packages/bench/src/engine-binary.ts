/**
 * Adapter for a tickbook engine's binary batch path — `book.applyEncoded(
 * CommandBuffer, onEvents)`, commands as fixed-size records and events read
 * through a cursor, no object per command or event (the WASM engine's fast
 * API). Built from whatever `tickbook` exports, so it appears as soon as an
 * engine offers it. Timed runs read every event's type through the cursor
 * (counting trades and refused cancels, as a consumer would), so each timed
 * run is checked against the verification run's fill and refusal counts.
 * They read it the fastest documented way: by index (`typeAt`, then `seek`
 * for the events whose fields they need), as the cursor's TSDoc shows.
 */
import type { Book, BookConfig } from 'tickbook';
import { ChecksumAccumulator, type Ops, toCommandBuffer } from 'tickbook/workloads';
import { BATCH_SIZE } from './constants';
import { l2Of, shapeConfig, tickbookNames } from './engine-tickbook';
import type { BookRunner, EngineAdapter, Prepared } from './types';

/** The structural shape of tickbook's `CommandBuffer`. */
export interface CommandBufferLike {
  length: number;
  limit(id: number, side: 0 | 1, price: number, qty: number): void;
  market(id: number, side: 0 | 1, qty: number): void;
  cancel(id: number): void;
}

/** The structural shape of the event cursor handed to `onEvents`. */
export interface EventCursorLike {
  readonly count: number;
  typeAt(i: number): number;
  seek(i: number): void;
  readonly type: number;
  readonly aux: number;
  readonly price: number;
  readonly qty: number;
}

/** A book with the binary batch path. */
export interface BinaryBook extends Book {
  applyEncoded(commands: CommandBufferLike, onEvents?: (c: EventCursorLike) => void): void;
}

/** What the binary path needs from `tickbook`'s exports. */
export interface BinaryApi {
  CommandBuffer: new (capacity?: number) => CommandBufferLike;
  /** Event type codes of trade and rejected records. */
  evTrade: number;
  evRejected: number;
  /** Index of `UNKNOWN_ORDER` in the error code list (the `aux` of a refused cancel). */
  unknownOrder: number;
}

function encode(ops: Ops): CommandBufferLike[] {
  const out: CommandBufferLike[] = [];
  for (let s = 0; s < ops.length; s += BATCH_SIZE) {
    out.push(toCommandBuffer(ops, s, Math.min(ops.length, s + BATCH_SIZE)));
  }
  return out;
}

/** Binary batch adapter for one engine kind. */
export function tickbookBinary(
  engine: string,
  label: string,
  factory: (c: BookConfig) => BinaryBook,
  api: BinaryApi,
): EngineAdapter {
  const { evTrade, evRejected, unknownOrder } = api;
  return {
    ...tickbookNames(engine, 'binary', label, 'binary batch', 'batch'),
    prepare: (ops) => encode(ops),
    create(shape): BookRunner {
      const book = factory(shapeConfig(engine, shape));
      let trades = 0;
      let refused = 0;
      const sink = (c: EventCursorLike) => {
        const n = c.count;
        for (let i = 0; i < n; i++) {
          const t = c.typeAt(i);
          if (t === evTrade) trades++;
          else if (t === evRejected) {
            c.seek(i);
            if (c.aux === unknownOrder) refused++;
          }
        }
      };
      return {
        run(p: Prepared) {
          const bufs = p as CommandBufferLike[];
          refused = 0;
          trades = 0;
          for (let i = 0; i < bufs.length; i++) book.applyEncoded(bufs[i], sink);
          return refused;
        },
        runChecked(ops) {
          const acc = new ChecksumAccumulator();
          const checkedSink = (c: EventCursorLike) => {
            for (let i = 0; i < c.count; i++) {
              const t = c.typeAt(i);
              if (t !== evTrade && t !== evRejected) continue;
              c.seek(i);
              if (t === evTrade) acc.trade(c.price, c.qty);
              else if (t === evRejected && c.aux === unknownOrder) acc.refusedCancel();
              else if (t === evRejected)
                throw new Error(`binary batch: a command was rejected (code ${c.aux})`);
            }
          };
          for (const buf of encode(ops)) book.applyEncoded(buf, checkedSink);
          return acc.result(book.size);
        },
        fills: () => trades,
        size: () => book.size,
        depth: () => l2Of(book),
      };
    },
  };
}

/** The binary API from `tickbook`'s exports, or undefined when this build has none. */
export function binaryApiOf(exports: Record<string, unknown>): BinaryApi | undefined {
  const CommandBuffer = exports.CommandBuffer;
  const codes = exports.ERROR_CODE_LIST;
  if (typeof CommandBuffer !== 'function' || !Array.isArray(codes)) return undefined;
  return {
    CommandBuffer: CommandBuffer as BinaryApi['CommandBuffer'],
    evTrade: typeof exports.EV_TRADE === 'number' ? exports.EV_TRADE : 2,
    evRejected: typeof exports.EV_REJECTED === 'number' ? exports.EV_REJECTED : 1,
    unknownOrder: codes.indexOf('UNKNOWN_ORDER'),
  };
}
