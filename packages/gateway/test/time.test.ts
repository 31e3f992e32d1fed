import type { Command } from 'tickbook';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGateway, type Gateway, toEngineId } from '../src/index';
import {
  BOB,
  clockedHarness,
  expectRefused,
  limit,
  market,
  metricsOf,
  request,
  stop,
  TestClock,
  testConfig,
  testDir,
} from './helpers';

afterEach(() => {
  vi.useRealTimers();
});

/** Record the kinds of the commands of every engine call. */
function spyApply(gw: Gateway): string[][] {
  const book = gw.markets.get('BTC-USD')!.book;
  const calls: string[][] = [];
  const original = book.apply.bind(book);
  book.apply = (commands: readonly Command[]) => {
    calls.push(commands.map((c) => c.kind));
    return original(commands);
  };
  return calls;
}

const gtd = (id: number, side: 'buy' | 'sell', price: number, qty: number, expiresAt: number) =>
  limit(id, side, price, qty, { expiresAt });

describe('good-till-date orders on the gateway clock', () => {
  it('accepts an expiresAt in the future and echoes it; the book time follows the clock', async () => {
    const { h, clock } = await clockedHarness();
    const expiresAt = clock.now + 60_000;
    const r = await h.call('POST', '/v1/orders', gtd(1, 'buy', 90, 2, expiresAt));
    expect(r.status).toBe(200);
    expect(r.body.events).toEqual([
      { type: 'accepted', id: 1, side: 'buy', orderType: 'limit', price: 90, qty: 2, expiresAt },
    ]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).body).toMatchObject({ expiresAt });
    const health = await h.call('GET', '/health', undefined, null);
    expect(health.body.symbols[0]).toMatchObject({ symbol: 'BTC-USD', time: clock.now });
  });

  it('refuses an expiresAt that is not after the clock, not an integer, with IOC, or on a market order', async () => {
    const { h, clock } = await clockedHarness();
    for (const expiresAt of [clock.now - 1, clock.now, 1]) {
      const r = await h.call('POST', '/v1/orders', gtd(1, 'buy', 90, 2, expiresAt));
      expectRefused(r, 422, 'ALREADY_EXPIRED', "expiresAt is not after the book's current time", 1);
    }
    for (const [expiresAt, message] of [
      [clock.now + 0.5, 'body/expiresAt must be integer'],
      [String(clock.now + 1000), 'body/expiresAt must be integer'],
      [0, 'body/expiresAt must be >= 1'],
      [2 ** 53, 'body/expiresAt must be <= 9007199254740991'],
    ] as const) {
      const r = await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 2, { expiresAt }));
      expectRefused(r, 400, 'VALIDATION_ERROR', message);
    }
    const ioc = await h.call(
      'POST',
      '/v1/orders',
      limit(1, 'buy', 90, 2, { expiresAt: clock.now + 1000, timeInForce: 'IOC' }),
    );
    expect(ioc.status).toBe(422);
    expect(ioc.body.code).toBe('INVALID_EXPIRY');
    const m = await h.call(
      'POST',
      '/v1/orders',
      market(1, 'buy', { qty: 1, expiresAt: clock.now + 1000 }),
    );
    expect(m.status).toBe(400);
    expect(m.body.message).toBe(
      'body/expiresAt is not allowed here (a market order never rests, so it cannot expire)',
    );
    expect(h.gw.markets.get('BTC-USD')!.book.size).toBe(0);
  });

  it('an order trades until its expiry and never after: it is gone before the next command', async () => {
    const { h, clock } = await clockedHarness();
    await h.call('POST', '/v1/orders', gtd(1, 'sell', 100, 5, clock.now + 1000));
    clock.advance(999);
    const before = await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1), BOB);
    expect(before.body).toMatchObject({ status: 'filled', filled: 1 });
    clock.advance(1);
    const after = await h.call('POST', '/v1/orders', limit(2, 'buy', 100, 1), BOB);
    expect(after.body).toMatchObject({ status: 'resting', filled: 0, remaining: 1 });
    // The expiry is not in Bob's answer (it is Alice's order, and not Bob's command).
    expect(after.body.events).toEqual([
      { type: 'accepted', id: 2, side: 'buy', orderType: 'limit', price: 100, qty: 1 },
    ]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
    expect((await h.call('GET', '/v1/depth/BTC-USD')).body).toMatchObject({
      bids: [{ price: 100, qty: 1, count: 1 }],
      asks: [],
    });
  });

  it("the gateway's timer expires due orders when no request comes", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { h, clock } = await clockedHarness();
    const book = h.gw.markets.get('BTC-USD')!.book;
    const t0 = clock.now;
    await h.call('POST', '/v1/orders', gtd(1, 'buy', 90, 1, t0 + 5000));
    await h.call('POST', '/v1/orders', gtd(2, 'sell', 110, 1, t0 + 8000), BOB);
    expect(vi.getTimerCount()).toBe(1);
    // The timer fires before the clock reaches the expiry (timers and clocks
    // drift): nothing expires, the timer is set again for the rest.
    clock.advance(4000);
    vi.advanceTimersByTime(5000);
    expect(book.order(toEngineId(1, 1))).toBeDefined();
    expect(vi.getTimerCount()).toBe(1);
    clock.advance(1000);
    vi.advanceTimersByTime(1000);
    expect(book.order(toEngineId(1, 1))).toBeUndefined();
    expect(book.order(toEngineId(2, 2))).toBeDefined();
    expect(book.time).toBe(t0 + 5000);
    clock.advance(3000);
    vi.advanceTimersByTime(3000);
    expect(book.order(toEngineId(2, 2))).toBeUndefined();
    expect(book.size).toBe(0);
    // Nothing left to expire: no timer.
    expect(vi.getTimerCount()).toBe(0);
    expect((await h.call('GET', '/v1/depth/BTC-USD')).body).toMatchObject({ bids: [], asks: [] });
  });

  it('a good-till-date stop expires while it waits; an expiry survives a modify that loses priority', async () => {
    const { h, clock } = await clockedHarness();
    const expiresAt = clock.now + 1000;
    const s = await h.call('POST', '/v1/orders', stop(1, 'buy', 150, 2, { expiresAt }));
    expect(s.body).toMatchObject({ status: 'untriggered' });
    expect(s.body.events[0]).toMatchObject({ orderType: 'stop-market', expiresAt });
    await h.call('POST', '/v1/orders', gtd(2, 'buy', 90, 2, expiresAt));
    const m = await h.call('PATCH', '/v1/orders/BTC-USD/2', { price: 91, qty: 5 });
    expect(m.body.events[0]).toMatchObject({ type: 'modified', priorityKept: false });
    expect((await h.call('GET', '/v1/orders/BTC-USD/2')).body).toMatchObject({
      price: 91,
      expiresAt,
    });
    clock.advance(1000);
    await h.call('POST', '/v1/orders', limit(9, 'sell', 200, 1), BOB);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
    expect((await h.call('GET', '/v1/orders/BTC-USD/2')).status).toBe(404);
    expect(h.gw.markets.get('BTC-USD')!.book.size).toBe(1);
  });

  it('moves the book time only when something may be due: other orders cost no advance-time', async () => {
    const { h, clock } = await clockedHarness();
    const calls = spyApply(h.gw);
    await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1));
    clock.advance(10);
    await h.call('POST', '/v1/orders', stop(2, 'buy', 120, 1));
    await h.call('DELETE', '/v1/orders/BTC-USD/1');
    expect(calls).toEqual([['limit'], ['stop'], ['cancel']]);
    // An order with an expiry: the time moves first, so ALREADY_EXPIRED means "before now".
    await h.call('POST', '/v1/orders', gtd(3, 'buy', 90, 1, clock.now + 500));
    expect(calls.at(-1)).toEqual(['advance-time', 'limit']);
    // Same clock reading: nothing to move.
    await h.call('POST', '/v1/orders', gtd(4, 'buy', 90, 1, clock.now + 500));
    expect(calls.at(-1)).toEqual(['limit']);
    // The clock moved but nothing is due and the command has no expiry.
    clock.advance(100);
    await h.call('POST', '/v1/orders', limit(5, 'buy', 90, 1));
    expect(calls.at(-1)).toEqual(['limit']);
    // Due now: the next call moves the time first and the orders expire before it applies.
    clock.advance(400);
    const r = await h.call('POST', '/v1/orders', limit(6, 'sell', 90, 1), BOB);
    expect(calls.at(-1)).toEqual(['advance-time', 'limit']);
    expect(r.body).toMatchObject({ status: 'filled', filled: 1 }); // against order 5 only
    expect(h.gw.markets.get('BTC-USD')!.book.size).toBe(1); // the stop
    const text = await metricsOf(h.gw);
    expect(text).toContain(
      'tickbook_gateway_commands_total{symbol="BTC-USD",kind="advance-time"} 2',
    );
  });
});

describe('good-till-date across a restart (journal)', () => {
  // Checkpoints off: the restart replays the journal. On (the default): a
  // graceful stop checkpoints, so the restart restores the snapshot, time and
  // expiries included, and replays nothing.
  it.each([
    ['replayed from the journal', 0, [5, 6]],
    ['restored from a checkpoint', 1_000_000, [0, 0]],
  ])(
    'a recovered order still expires on the clock, and the expiry itself is kept (%s)',
    async (_how, checkpointEveryCommands, replayed) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const dir = testDir();
      const clock = new TestClock();
      const t0 = clock.now;
      const open = () =>
        buildGateway(testConfig(dir, { checkpointEveryCommands }), { clock: clock.read });
      const close = async (gw: Gateway) => {
        vi.useRealTimers();
        await gw.app.close();
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      };

      const a = await open();
      await request(a, 'POST', '/v1/orders', gtd(1, 'buy', 90, 1, t0 + 1000)); // advance-time + limit
      await request(a, 'POST', '/v1/orders', gtd(2, 'sell', 110, 1, t0 + 10_000));
      await request(a, 'POST', '/v1/orders', limit(3, 'buy', 80, 1));
      await request(a, 'POST', '/v1/orders', stop(4, 'sell', 70, 1, { expiresAt: t0 + 1000 }));
      await close(a);

      // Down for 2 s: order 1 and stop 4 are due when the gateway comes back.
      clock.advance(2000);
      const b = await open();
      expect(b.recovered.get('BTC-USD')).toBe(replayed[0]);
      // Recovery alone restores the journalled time: nothing expired yet.
      expect(b.markets.get('BTC-USD')!.book.time).toBe(t0);
      expect((await request(b, 'GET', '/v1/orders/BTC-USD/1')).status).toBe(200);
      // The start-up timer moves the time to the clock: both expire.
      vi.advanceTimersByTime(0);
      expect((await request(b, 'GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
      expect((await request(b, 'GET', '/v1/orders/BTC-USD/4')).status).toBe(404);
      expect((await request(b, 'GET', '/v1/orders/BTC-USD/2')).body).toMatchObject({
        expiresAt: t0 + 10_000,
      });
      expect((await request(b, 'GET', '/v1/orders/BTC-USD/3')).status).toBe(200);
      await close(b);

      // Restarted with the clock behind the journal (another machine, a clock
      // step): the replayed advance-time keeps the book where it was, and the
      // time never goes back.
      clock.now = t0;
      const c = await open();
      expect(c.recovered.get('BTC-USD')).toBe(replayed[1]);
      const book = c.markets.get('BTC-USD')!.book;
      expect(book.time).toBe(t0 + 2000);
      expect(book.size).toBe(2);
      expect((await request(c, 'GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
      const late = await request(c, 'POST', '/v1/orders', gtd(5, 'buy', 85, 1, t0 + 1500));
      expect(late).toMatchObject({ status: 422, body: { code: 'ALREADY_EXPIRED' } });
      await close(c);
    },
  );
});
