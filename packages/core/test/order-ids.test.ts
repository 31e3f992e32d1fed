/**
 * OrderIdMap: external ids to book ids and back. On W1 with string ids, the
 * orders it still maps are exactly the resting ones after every operation.
 */
import { describe, expect, it } from 'vitest';
import { createBook, type EngineKind, OrderIdMap } from '../src/index';
import { generateW1, OP_CANCEL, OP_MARKET, SIDE_NAMES } from '../src/workloads/index';

describe('OrderIdMap', () => {
  it('maps both ways, hands out increasing ids and never reuses one', () => {
    const ids = new OrderIdMap<string | bigint>(100);
    expect(ids.idFor('a')).toBe(100);
    expect(ids.idFor(7n)).toBe(101);
    expect(ids.idFor('a')).toBe(100);
    expect(ids.get('b')).toBeUndefined();
    expect(ids.externalOf(101)).toBe(7n);
    expect(ids.release(100)).toBe(true);
    expect(ids.release(100)).toBe(false);
    expect(ids.get('a')).toBeUndefined();
    expect(ids.idFor('a')).toBe(102);
    expect(ids.size).toBe(2);
    expect(() => new OrderIdMap(0)).toThrow(RangeError);
  });

  it('releaseFinished keeps an iceberg whose shown part filled, and a refused order', () => {
    const book = createBook({ minPrice: 1, maxPrice: 100, capacity: 10 });
    const ids = new OrderIdMap();
    const ice = ids.idFor('ice');
    book.limit({ id: ice, side: 'sell', price: 10, qty: 10, displayQty: 2 });
    ids.releaseFinished(book.limit({ id: ids.idFor('t1'), side: 'buy', price: 10, qty: 2 }));
    expect(ids.get('ice')).toBe(ice); // shown part filled, refreshed: still resting
    expect(ids.get('t1')).toBeUndefined(); // taker filled completely
    ids.releaseFinished(book.apply([{ kind: 'limit', id: ice, side: 'buy', price: 5, qty: 1 }]));
    expect(ids.get('ice')).toBe(ice); // DUPLICATE_ID names a live order: kept
    ids.releaseFinished(book.cancel(ice));
    expect(ids.size).toBe(0);
  });

  it.each<EngineKind>(['wasm', 'js'])(
    'on W1 with string ids (%s), maps exactly the resting orders after every operation',
    (engine) => {
      const w = generateW1({ ops: 30_000, warmup: 2_000 });
      const book = createBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000, engine });
      const ids = new OrderIdMap<string>();
      for (let i = 0; i < w.warmup.length; i++) {
        const id = ids.idFor(`o-${w.warmup.id[i]}`);
        const { side, price, qty } = w.warmup;
        book.limit({ id, side: SIDE_NAMES[side[i]], price: price[i], qty: qty[i] });
      }
      const o = w.ops;
      for (let i = 0; i < o.length; i++) {
        const name = `o-${o.id[i]}`;
        if (o.kind[i] === OP_CANCEL) {
          const id = ids.get(name);
          if (id !== undefined) ids.releaseFinished(book.cancel(id));
        } else if (o.kind[i] === OP_MARKET) {
          const id = ids.idFor(name);
          ids.releaseFinished(book.market({ id, side: SIDE_NAMES[o.side[i]], qty: o.qty[i] }));
        } else {
          const id = ids.idFor(name);
          const order = { id, side: SIDE_NAMES[o.side[i]], price: o.price[i], qty: o.qty[i] };
          ids.releaseFinished(book.limit(order));
        }
        if (i % 1_000 === 0) expect(ids.size).toBe(book.size);
      }
      expect(ids.size).toBe(book.size);
      for (const level of book.depth().bids) {
        for (const r of book.ordersAt('buy', level.price))
          expect(ids.externalOf(r.id)).toBeDefined();
      }
    },
  );
});
