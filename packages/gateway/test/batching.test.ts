import type { Command } from 'tickbook';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toEngineId } from '../src/index';
import { BOB, type Harness, harness, limit } from './helpers';

let h: Harness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

/** Count the engine's batch calls and their sizes. */
function spyApply(h: Harness): number[][] {
  const book = h.gw.markets.get('BTC-USD')!.book;
  const calls: number[][] = [];
  const original = book.apply.bind(book);
  book.apply = (commands: readonly Command[]) => {
    calls.push(commands.map((c) => (c.kind === 'advance-time' ? 0 : c.id)));
    return original(commands);
  };
  return calls;
}

describe('adaptive batching', () => {
  it('applies commands queued in the same event-loop turn in one engine call, each with its own events', async () => {
    h = await harness();
    const calls = spyApply(h);
    const market = h.gw.markets.get('BTC-USD')!;
    const A = toEngineId(1, 1);
    const B = toEngineId(2, 1);
    const answers = await Promise.all([
      market.submit([{ kind: 'limit', id: A, side: 'sell', price: 100, qty: 1, owner: 1 }]),
      market.submit([{ kind: 'limit', id: A + 1, side: 'sell', price: 101, qty: 1, owner: 1 }]),
      market.submit([{ kind: 'limit', id: B, side: 'buy', price: 101, qty: 2, owner: 2 }]),
      market.submit([{ kind: 'cancel', id: A + 1 }]),
      market.submit([
        { kind: 'limit', id: B + 1, side: 'sell', price: 1_000_000, qty: 1, owner: 2 },
      ]),
    ]);
    expect(calls).toEqual([[A, A + 1, B, A + 1, B + 1]]);
    expect(answers.map(([events]) => events[0].type)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'rejected', // order A+1 was taken by B before the cancel
      'rejected',
    ]);
    expect(answers[2][0].filter((e) => e.type === 'trade')).toHaveLength(2);
    expect(answers[4][0][0]).toEqual({ type: 'rejected', id: B + 1, code: 'PRICE_OUT_OF_BAND' });
  });

  it('coalesces concurrent HTTP requests into fewer engine calls', async () => {
    h = await harness();
    const calls = spyApply(h);
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const answers = await Promise.all(
      ids.map((id) => h.call('POST', '/v1/orders', limit(id, 'buy', 90, 1))),
    );
    expect(answers.map((a) => a.body.id)).toEqual(ids);
    expect(answers.every((a) => a.status === 200 && a.body.status === 'resting')).toBe(true);
    expect(calls.flat()).toHaveLength(20);
    expect(calls.length).toBeLessThan(20);
  });

  it('keeps arrival order between single orders and batches in the same flush', async () => {
    h = await harness();
    const calls = spyApply(h);
    const [batch, single] = await Promise.all([
      h.call('POST', '/v1/orders/batch', {
        symbol: 'BTC-USD',
        orders: [
          { id: 10, side: 'sell', price: 100, qty: 1 },
          { id: 11, side: 'sell', price: 100, qty: 1 },
        ],
      }),
      h.call('POST', '/v1/orders', limit(1, 'buy', 100, 5), BOB),
    ]);
    expect(calls).toEqual([[expect.any(Number), expect.any(Number), expect.any(Number)]]);
    expect(batch.body.results.map((r: { id: number }) => r.id)).toEqual([10, 11]);
    expect(single.body).toMatchObject({ status: 'resting', filled: 2, remaining: 3 });
  });

  it('adds no wait under light load, and waits for the window only when busy', async () => {
    h = await harness({ batchWindowMs: 1000 });
    const calls = spyApply(h);
    const market = h.gw.markets.get('BTC-USD')!;
    // setTimeout never fires unless the test advances it.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    // A lone request is applied at the end of the event-loop turn, without the window.
    const lone = await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1));
    expect(lone.status).toBe(200);
    expect(calls.map((c) => c.length)).toEqual([1]);
    // A burst of three requests in one turn: still applied at once (the last flush was not busy).
    await Promise.all(
      [2, 3, 4].map((id) =>
        market.submit([
          { kind: 'limit', id: toEngineId(1, id), side: 'buy', price: 90, qty: 1, owner: 1 },
        ]),
      ),
    );
    expect(calls.map((c) => c.length)).toEqual([1, 3]);
    // Busy now (the last flush held 3 requests): the next request waits for the window.
    let settled = false;
    const next = h.call('POST', '/v1/orders', limit(5, 'buy', 90, 1)).then((r) => {
      settled = true;
      return r;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect((await next).status).toBe(200);
    expect(calls.map((c) => c.length)).toEqual([1, 3, 1]);
    // Not busy any more: the next lone request goes out without waiting again.
    expect((await h.call('POST', '/v1/orders', limit(6, 'buy', 90, 1))).status).toBe(200);
  });

  it('with batching off every request is its own engine call', async () => {
    h = await harness({ batching: false });
    const calls = spyApply(h);
    await Promise.all([1, 2, 3].map((id) => h.call('POST', '/v1/orders', limit(id, 'buy', 90, 1))));
    expect(calls.map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
