import fc from 'fast-check';
import type { BookEvent } from 'tickbook';
import { describe, expect, it } from 'vitest';
import { LAST_SEQUENCE_HEADER, PART_HEADER } from '../src/names';
import { eventHeaders, MAX_EVENT_MESSAGE_BYTES, nextEventMessage, published } from '../src/replica';
import {
  decodeEventMessage,
  EventMessageAssembler,
  formatPart,
  joinBatch,
  type MessageResults,
  parsePart,
  type StoredEventMessage,
  splitPayload,
} from '../src/results';
import { collectChanges } from '../src/sink/order-changes';

/** Results of command message `seq`: `trades` trade events of one taker. */
function results(seq: number, trades: number): MessageResults {
  const events: BookEvent[] = [];
  for (let i = 0; i < trades; i++) {
    events.push({
      type: 'trade',
      makerId: 1 + i,
      takerId: 1_000_000 + seq,
      takerSide: 'buy',
      price: 500 + (i % 50),
      qty: 1,
      makerRemaining: 0,
      takerRemaining: trades - 1 - i,
    });
  }
  return { seq, commands: [{ events }] };
}

it('a published result is every event but level-changed, in order, compacted in the same array', () => {
  const level = (price: number): BookEvent => ({
    type: 'level-changed',
    side: 'sell',
    price,
    qty: 0,
    count: 0,
    sequence: 1,
  });
  const trades = results(1, 3).commands[0].events;
  const events = [level(1), trades[0], level(2), trades[1], trades[2], level(3)];
  const out = published(events);
  expect(out).toBe(events);
  expect(out).toEqual(trades);
  expect(published([level(4)])).toEqual([]);
});

describe('event messages larger than one NATS message', () => {
  it('fits many small command messages into one message, halving until it fits, and never cuts several', () => {
    const pending = [results(3, 10), results(5, 10), results(9, 10)];
    const all = nextEventMessage('X', pending, 1 << 20);
    expect(all.last).toBe(9);
    expect(all.parts).toHaveLength(1);
    expect(decodeEventMessage(all.parts[0])).toEqual({ symbol: 'X', last: 9, results: pending });
    // room for about one and a half: two of the three go first (halved), whole
    const one = new TextEncoder().encode(JSON.stringify(pending[0])).length;
    const some = nextEventMessage('X', pending, Math.floor(one * 2.5));
    expect(some.parts).toHaveLength(1);
    expect(decodeEventMessage(some.parts[0]).results.map((r) => r.seq)).toEqual([3, 5]);
    const first = nextEventMessage('X', pending, Math.floor(one * 1.5));
    expect(decodeEventMessage(first.parts[0]).results.map((r) => r.seq)).toEqual([3]);
  });

  it('cuts one command message larger than the limit into parts that join back to it', () => {
    const big = results(42, 12_000);
    const message = nextEventMessage('BTC', [big, results(43, 1)]);
    expect(message.last).toBe(42);
    expect(message.parts.length).toBeGreaterThan(1);
    for (const p of message.parts) expect(p.length).toBeLessThanOrEqual(MAX_EVENT_MESSAGE_BYTES);
    const parts = new EventMessageAssembler();
    const n = message.parts.length;
    for (let i = 0; i < n - 1; i++) {
      expect(parts.add('BTC', message.parts[i], `42:${i + 1}/${n}`, 100 + i)).toBeUndefined();
      expect(parts.oldestIncomplete()).toBe(100);
    }
    expect(parts.add('BTC', message.parts[n - 1], `42:${n}/${n}`, 100 + n - 1)).toEqual({
      symbol: 'BTC',
      last: 42,
      results: [big],
    });
    expect(parts.oldestIncomplete()).toBeUndefined();
  });

  it('headers: a part before the last covers only the command messages before its own', () => {
    const h = eventHeaders(42, 1, 3);
    expect(h.get(LAST_SEQUENCE_HEADER)).toBe('41');
    expect(parsePart(h.get(PART_HEADER))).toEqual({ seq: 42, part: 1, parts: 3 });
    expect(eventHeaders(42, 3, 3).get(LAST_SEQUENCE_HEADER)).toBe('42');
    expect(eventHeaders(42, 1, 1).get(PART_HEADER)).toBe('');
    for (const bad of ['', '42', '42:0/2', '42:3/2', 'x:1/2', '42:1/2 ']) {
      expect(parsePart(bad)).toBeUndefined();
    }
  });

  it('joins parts per symbol while other symbols come between, and drops a message whose start it missed', () => {
    const a = results(7, 3000);
    const b = results(8, 2);
    const aParts = splitPayload(
      new TextEncoder().encode(JSON.stringify({ symbol: 'A', last: 7, results: [a] })),
      50_000,
    );
    expect(aParts.length).toBeGreaterThanOrEqual(3);
    const n = aParts.length;
    const bWhole = new TextEncoder().encode(JSON.stringify({ symbol: 'B', last: 8, results: [b] }));
    const parts = new EventMessageAssembler();
    expect(parts.add('A', aParts[0], `7:1/${n}`, 10)).toBeUndefined();
    expect(parts.add('B', bWhole, undefined, 11)?.results).toEqual([b]);
    expect(parts.oldestIncomplete()).toBe(10);
    for (let i = 1; i < n - 1; i++)
      expect(parts.add('A', aParts[i], `7:${i + 1}/${n}`, 11 + i)).toBeUndefined();
    expect(parts.add('A', aParts[n - 1], `7:${n}/${n}`, 20)?.results).toEqual([a]);

    // a reader that joins at part 2 cannot rebuild the message: it skips all of it
    const late = new EventMessageAssembler();
    for (let i = 1; i < n; i++)
      expect(late.add('A', aParts[i], `7:${i + 1}/${n}`, i)).toBeUndefined();
    expect(late.oldestIncomplete()).toBeUndefined();
    expect(late.add('B', bWhole, undefined)?.last).toBe(8);

    // a message started again from part 1 replaces what was gathered
    const again = new EventMessageAssembler();
    expect(again.add('A', aParts[0], `7:1/${n}`, 1)).toBeUndefined();
    expect(again.add('A', aParts[1], `7:2/${n}`, 2)).toBeUndefined();
    expect(again.add('A', aParts[0], `7:1/${n}`, 3)).toBeUndefined();
    expect(again.oldestIncomplete()).toBe(3);
    for (let i = 1; i < n; i++) again.add('A', aParts[i], `7:${i + 1}/${n}`, 3 + i);
    expect(again.oldestIncomplete()).toBeUndefined();
  });

  it('a sink stopped after any batch and restarted from its stored position writes every trade once (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          // per symbol: the trades of each of its command messages
          symbols: fc.array(
            fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
          maxBytes: fc.integer({ min: 700, max: 6000 }),
          interleave: fc.array(fc.nat(), { maxLength: 200 }),
          batches: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }),
          stops: fc.array(fc.boolean(), { maxLength: 30 }),
        }),
        ({ symbols, maxBytes, interleave, batches, stops }) => {
          // Each symbol's event messages as its leader publishes them.
          let commandSeq = 0;
          const expected = new Set<string>();
          const queues = symbols.map((messages, k) => {
            const symbol = `S${k}`;
            let pending: MessageResults[] = messages.map((trades) => {
              const seq = ++commandSeq;
              for (let t = 0; t < trades; t++) expected.add(`${symbol}:${seq}:${t}`);
              return results(seq, trades);
            });
            const out: Omit<StoredEventMessage, 'seq'>[] = [];
            while (pending.length > 0) {
              const { last, parts } = nextEventMessage(symbol, pending, maxBytes);
              parts.forEach((data, i) => {
                const part =
                  parts.length > 1
                    ? formatPart({ seq: last, part: i + 1, parts: parts.length })
                    : undefined;
                out.push({ symbol, data, part });
              });
              pending = pending.filter((r) => r.seq > last);
            }
            return out;
          });
          // The event stream: the symbols' subjects interleaved.
          const stream: StoredEventMessage[] = [];
          for (let i = 0; queues.some((q) => q.length > 0); i++) {
            const open = queues.filter((q) => q.length > 0);
            const q = open[(interleave[i] ?? i) % open.length];
            stream.push({
              ...(q.shift() as Omit<StoredEventMessage, 'seq'>),
              seq: stream.length + 1,
            });
          }
          // The sink: batches, a transaction per batch that completes a message
          // (rows, per-symbol progress, stored position), stops, restarts.
          let stored = 0;
          const progress = new Map<string, number>();
          const written = new Map<string, number>();
          let b = 0;
          const stopsLeft = stops.slice();
          for (;;) {
            const parts = new EventMessageAssembler();
            let at = stored;
            let stopped = false;
            while (at < stream.length) {
              const batch = stream.slice(at, at + batches[b++ % batches.length]);
              at += batch.length;
              const { whole, resumeAfter } = joinBatch(parts, batch);
              if (whole.length > 0) {
                const changes = collectChanges(whole, progress);
                for (const t of changes.trades) {
                  const key = `${t.symbol}:${t.cmdSeq}:${t.tradeNo}`;
                  written.set(key, (written.get(key) ?? 0) + 1);
                }
                for (const [symbol, seq] of changes.progress) progress.set(symbol, seq);
                stored = resumeAfter;
              }
              if (stopsLeft.shift()) {
                stopped = true;
                break;
              }
            }
            if (!stopped) break;
          }
          expect([...written.entries()].filter(([, n]) => n !== 1)).toEqual([]);
          expect(new Set(written.keys())).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
