/**
 * Adapter for the peer, nodejs-order-book 10.1.1 (red-black tree of price
 * levels, a queue per level, string ids, order objects per call).
 *
 * Mapping: passive / marketable → `limit({id, side, size, price})` (GTC);
 * cancel → `cancel(id)` (returns `undefined` for an unknown id: counted as
 * refused); market → `market({side, size})` (no id: the peer's market orders
 * carry none). Its matching is price-time priority at the maker's price with
 * market remainders dropped, as in W1, so its final L2 must equal tickbook's.
 */
import { OrderBook, Side } from 'nodejs-order-book';
import type { Ops } from 'tickbook/workloads';
import type { BookRunner, EngineAdapter, L2, MicroBook, Prepared } from './types';

interface PeerPrepared {
  ops: Ops;
  /** String ids, made up front (the peer keys orders by string). */
  ids: string[];
}

function peerLoop(ob: OrderBook, p: PeerPrepared): number {
  const { kind, side, price, qty } = p.ops;
  const ids = p.ids;
  const n = p.ops.length;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    if (k === 1) {
      if (ob.cancel(ids[i]) === undefined) refused++;
    } else if (k === 3) {
      ob.market({ side: side[i] === 0 ? Side.BUY : Side.SELL, size: qty[i] });
    } else {
      ob.limit({
        id: ids[i],
        side: side[i] === 0 ? Side.BUY : Side.SELL,
        size: qty[i],
        price: price[i],
      });
    }
  }
  return refused;
}

function peerTimedLoop(ob: OrderBook, p: PeerPrepared, out: Float64Array): void {
  const { kind, side, price, qty } = p.ops;
  const ids = p.ids;
  for (let i = 0; i < p.ops.length; i++) {
    const k = kind[i];
    const t0 = performance.now();
    if (k === 1) ob.cancel(ids[i]);
    else if (k === 3) ob.market({ side: side[i] === 0 ? Side.BUY : Side.SELL, size: qty[i] });
    else {
      ob.limit({
        id: ids[i],
        side: side[i] === 0 ? Side.BUY : Side.SELL,
        size: qty[i],
        price: price[i],
      });
    }
    out[i] = (performance.now() - t0) * 1e6;
  }
}

/** The nodejs-order-book adapter. */
export const peerAdapter: EngineAdapter = {
  key: 'peer',
  label: 'nodejs-order-book 10.1.1',
  family: 'peer',
  engine: 'peer',
  path: 'per-order',
  prepare(ops): PeerPrepared {
    const ids = new Array<string>(ops.length);
    for (let i = 0; i < ops.length; i++) ids[i] = String(ops.id[i]);
    return { ops, ids };
  },
  create(): BookRunner {
    const ob = new OrderBook();
    return {
      run: (p: Prepared) => peerLoop(ob, p as PeerPrepared),
      runTimed: (p: Prepared, out: Float64Array) => peerTimedLoop(ob, p as PeerPrepared, out),
      size() {
        const s = ob.snapshot();
        let n = 0;
        for (const l of s.bids) n += l.orders.length;
        for (const l of s.asks) n += l.orders.length;
        return n;
      },
      depth(): L2 {
        const [asks, bids] = ob.depth();
        return { bids, asks };
      },
    };
  },
  micro(): MicroBook {
    const ob = new OrderBook();
    return {
      limit: (id, side, price, qty) => {
        const r = ob.limit({
          id: String(id),
          side: side === 0 ? Side.BUY : Side.SELL,
          size: qty,
          price,
        });
        if (r.err) throw new Error(`peer refused limit ${id}: ${r.err.message}`);
      },
      cancel: (id) => {
        ob.cancel(String(id));
      },
      modifyPrice: (id, price) => {
        ob.modify(String(id), { price });
      },
    };
  },
};
