import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Book, type BookEvent, type Command, createBook } from '../src/index';
import { checkInvariants, dumpBook } from './support/book-state';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';
import { EventModel } from './support/event-model';
import { runCommand } from './support/run-command';

function ownerOf(command: Command): number {
  const owner = (command as { owner?: unknown } | null)?.owner;
  return typeof owner === 'number' ? owner : 0;
}

describe('reference engine properties over random command sequences', () => {
  const space = commandSpace();

  it('keeps every invariant after every command, and events rebuild the book exactly', () => {
    fc.assert(
      fc.property(commandsArbitrary(space), (commands) => {
        const book = createBook({ ...space.config, engine: 'js' });
        const model = new EventModel();
        for (const command of commands) {
          const before = dumpBook(book);
          const queueBefore = queueOf(book, command);
          const outcome = runCommand(book, command);
          if (!outcome.ok) {
            // A refused command leaves the book exactly as it was.
            expect(dumpBook(book)).toEqual(before);
            continue;
          }
          const events = outcome.events;
          model.applyCommand(events, ownerOf(command));
          checkInvariants(book);
          expect(model.dump()).toEqual(dumpBook(book));
          expect(model.feedDepth()).toEqual(book.depth());
          expect(model.sequence).toBe(book.sequence);
          checkOrderTypeRules(command, events, book.order.bind(book));
          checkReduceKeepsPriority(book, command, queueBefore);
        }
        model.checkConservation();
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('apply() gives the per-order event stream, with rejected events for refusals', () => {
    fc.assert(
      fc.property(commandsArbitrary(space), (commands) => {
        const perOrder = createBook({ ...space.config, engine: 'js' });
        const expected: BookEvent[] = [];
        for (const command of commands) {
          const outcome = runCommand(perOrder, command);
          if (outcome.ok) expected.push(...outcome.events);
          else {
            const id = (command as { id?: unknown } | null)?.id;
            expected.push({
              type: 'rejected',
              id: typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : 0,
              code: outcome.code as never,
            });
          }
        }
        const batch = createBook({ ...space.config, engine: 'js' });
        expect(batch.apply(commands)).toEqual(expected);
        expect(dumpBook(batch)).toEqual(dumpBook(perOrder));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

interface QueueBefore {
  side: 'buy' | 'sell';
  price: number;
  ids: number[];
}

/** For a reduce of a resting order: its level's queue (ids) before the command. */
function queueOf(book: Book, command: Command): QueueBefore | undefined {
  if (command?.kind !== 'reduce') return undefined;
  const info = book.order(command.id);
  if (!info || info.price === null || info.trigger !== undefined) return undefined;
  const ids = book.ordersAt(info.side, info.price).map((o) => o.id);
  return { side: info.side, price: info.price, ids };
}

/** A reduce never moves an order: its level's queue is the same, less the order if it went. */
function checkReduceKeepsPriority(book: Book, command: Command, before?: QueueBefore): void {
  if (command?.kind !== 'reduce' || !before) return;
  const after = book.ordersAt(before.side, before.price).map((o) => o.id);
  const expected = book.order(command.id)
    ? before.ids
    : before.ids.filter((id) => id !== command.id);
  expect(after).toEqual(expected);
}

/**
 * FOK all-or-nothing; IOC and market never rest; post-only never trades; a
 * notional market order never spends more than its notional; a protection
 * price is never passed.
 */
function checkOrderTypeRules(
  command: Command,
  events: readonly BookEvent[],
  order: (id: number) => unknown,
): void {
  if (command?.kind !== 'limit' && command?.kind !== 'market') return;
  const id = command.id;
  const traded = events
    .filter((e) => e.type === 'trade' && e.takerId === id)
    .reduce((sum, e) => sum + (e.type === 'trade' ? e.qty : 0), 0);
  const tif = command.timeInForce ?? (command.kind === 'market' ? 'IOC' : 'GTC');
  if (tif === 'FOK') {
    const killed = events.some(
      (e) => e.type === 'cancelled' && e.reason === 'fok-unfilled' && e.id === id,
    );
    expect(traded).toBe(killed ? 0 : command.qty);
  }
  if (tif !== 'GTC') expect(order(id)).toBeUndefined();
  if (command.kind === 'market') {
    const trades = events.filter((e) => e.type === 'trade' && e.takerId === id);
    const spent = trades.reduce((sum, e) => sum + (e.type === 'trade' ? e.price * e.qty : 0), 0);
    if (command.notional !== undefined) expect(spent).toBeLessThanOrEqual(command.notional);
    const limit = command.protectionPrice;
    if (limit !== undefined) {
      for (const e of trades) {
        if (e.type !== 'trade') continue;
        if (command.side === 'buy') expect(e.price).toBeLessThanOrEqual(limit);
        else expect(e.price).toBeGreaterThanOrEqual(limit);
      }
    }
  }
  if (command.kind === 'limit' && command.postOnly) expect(traded).toBe(0);
}
