/**
 * The incremental L2 feed: a consumer takes an L2 snapshot with the sequence
 * it belongs to, then applies every level change stamped with a later
 * sequence — from a stream it may have joined early (events it already has
 * in its snapshot are skipped by sequence, not by position) — and ends with
 * exactly the writer's L2. Both engines, per-order and batch paths; for the
 * WASM engine the snapshot is also taken through a BookReader, as another
 * thread would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Book,
  type BookEvent,
  BookReader,
  type Command,
  createBook,
  type Depth,
  type EngineKind,
  type Level,
  WasmBook,
} from '../src/index';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';
import { runCommand } from './support/run-command';

/** An L2 book kept from a snapshot plus level-changed events. */
class L2Feed {
  private readonly sides = { buy: new Map<number, Level>(), sell: new Map<number, Level>() };

  constructor(
    snapshot: Depth,
    public sequence: number,
  ) {
    for (const l of snapshot.bids) this.sides.buy.set(l.price, { ...l });
    for (const l of snapshot.asks) this.sides.sell.set(l.price, { ...l });
  }

  apply(e: BookEvent): void {
    if (e.type !== 'level-changed' || e.sequence <= this.sequence) return;
    if (e.count === 0) this.sides[e.side].delete(e.price);
    else this.sides[e.side].set(e.price, { price: e.price, qty: e.qty, count: e.count });
  }

  depth(): Depth {
    const sorted = (m: Map<number, Level>, dir: number) =>
      [...m.values()].sort((a, b) => dir * (a.price - b.price));
    return { bids: sorted(this.sides.buy, -1), asks: sorted(this.sides.sell, 1) };
  }
}

/** Run `commands` in chunks through the batch or per-order API; returns every event. */
function run(book: Book, commands: readonly Command[], batched: boolean): BookEvent[] {
  if (batched) return book.apply(commands);
  const out: BookEvent[] = [];
  for (const c of commands) {
    const outcome = runCommand(book, c);
    if (outcome.ok) out.push(...outcome.events);
  }
  return out;
}

describe('incremental L2 feed: snapshot at S + level changes after S = the writer’s L2', () => {
  const space = commandSpace();
  for (const engine of ['js', 'wasm'] as EngineKind[]) {
    it(`${engine} engine`, () => {
      fc.assert(
        fc.property(
          commandsArbitrary(space),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.boolean(),
          (commands, cut, join, batched) => {
            const book = createBook({ ...space.config, engine });
            const reader =
              book instanceof WasmBook ? new BookReader(book.readerDescriptor()) : null;
            // The consumer's stream starts at `joined` (≤ the snapshot point `at`).
            const at = Math.floor(cut * commands.length);
            const joined = Math.floor(join * at);
            run(book, commands.slice(0, joined), batched);
            const stream = run(book, commands.slice(joined, at), batched);
            const feeds = [new L2Feed(book.depth(), book.sequence)];
            if (reader) {
              const view = reader.depth(space.config.maxPrice - space.config.minPrice + 1);
              feeds.push(new L2Feed(view, view.sequence));
            }
            const before = stream.length;
            stream.push(...run(book, commands.slice(at), batched));
            // The stamp tells exactly which changes the snapshot already holds, in order.
            const s = book.sequence;
            let last = 0;
            stream.forEach((e, i) => {
              if (e.type !== 'level-changed') return;
              expect(e.sequence > feeds[0].sequence).toBe(i >= before);
              expect(e.sequence).toBeGreaterThanOrEqual(last);
              expect(e.sequence).toBeLessThanOrEqual(s);
              last = e.sequence;
            });
            for (const feed of feeds) {
              for (const e of stream) feed.apply(e);
              expect(feed.depth()).toEqual(book.depth());
            }
          },
        ),
        { numRuns: PROPERTY_RUNS },
      );
    });
  }

  it('stamps every level change of a batch with its own command’s sequence', () => {
    for (const engine of ['js', 'wasm'] as EngineKind[]) {
      const book = createBook({ minPrice: 90, maxPrice: 110, capacity: 8, engine });
      const events = book.apply([
        { kind: 'limit', id: 1, side: 'buy', price: 100, qty: 2 },
        { kind: 'cancel', id: 42 }, // refused: no sequence number
        { kind: 'limit', id: 2, side: 'sell', price: 100, qty: 5 },
      ]);
      expect(events.filter((e) => e.type === 'level-changed')).toEqual([
        { type: 'level-changed', side: 'buy', price: 100, qty: 2, count: 1, sequence: 1 },
        { type: 'level-changed', side: 'buy', price: 100, qty: 0, count: 0, sequence: 2 },
        { type: 'level-changed', side: 'sell', price: 100, qty: 3, count: 1, sequence: 2 },
      ]);
      expect(book.sequence).toBe(2);
    }
  });
});
