import type { BookEvent } from 'tickbook';
import { describe, expect, it } from 'vitest';
import { LAST_SEQUENCE_HEADER, PART_HEADER } from '../src/names';
import { eventHeaders, MAX_EVENT_MESSAGE_BYTES, nextEventMessage } from '../src/replica';
import {
  decodeEventMessage,
  EventMessageAssembler,
  type MessageResults,
  parsePart,
  splitPayload,
} from '../src/results';

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
});
