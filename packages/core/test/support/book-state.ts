/**
 * Engine-agnostic views of a book for tests: a full L3 dump (for "the book is
 * unchanged" checks and engine comparisons) and an invariant check that throws
 * a plain sentence naming what is wrong.
 */
import type { Book, Level, RestingOrder, Side } from '../../src/index';

export interface LevelDump extends Level {
  orders: RestingOrder[];
}

export interface BookDump {
  size: number;
  bids: LevelDump[];
  asks: LevelDump[];
}

/** Every level of both sides, best first, with every order in queue order. */
export function dumpBook(book: Book): BookDump {
  const side = (s: Side): LevelDump[] =>
    book.levels(s).map((level) => ({ ...level, orders: book.ordersAt(s, level.price) }));
  return { size: book.size, bids: side('buy'), asks: side('sell') };
}

/** Throw when the book breaks a structural invariant. */
export function checkInvariants(book: Book): void {
  const dump = dumpBook(book);
  const bestBid = dump.bids[0];
  const bestAsk = dump.asks[0];
  if (bestBid && bestAsk && bestBid.price >= bestAsk.price) {
    throw new Error(`book is crossed at rest: bid ${bestBid.price} >= ask ${bestAsk.price}`);
  }
  if (book.bestBid()?.price !== bestBid?.price || book.bestAsk()?.price !== bestAsk?.price) {
    throw new Error('bestBid/bestAsk disagree with the depth');
  }
  let count = 0;
  for (const [name, levels, better] of [
    ['bid', dump.bids, (a: number, b: number) => a > b],
    ['ask', dump.asks, (a: number, b: number) => a < b],
  ] as const) {
    levels.forEach((level, i) => {
      if (i > 0 && !better(levels[i - 1].price, level.price)) {
        throw new Error(`${name} levels are not strictly ordered at ${level.price}`);
      }
      const total = level.orders.reduce((sum, o) => sum + o.qty, 0);
      if (level.count !== level.orders.length || level.qty !== total || level.count === 0) {
        throw new Error(
          `${name} level ${level.price} says qty ${level.qty} / count ${level.count} but its orders sum to ${total} / ${level.orders.length}`,
        );
      }
      for (const o of level.orders) {
        const info = book.order(o.id);
        // market data (L2, L3) shows only an iceberg's displayed part, never its reserve
        const shown = info?.displayed ?? info?.remaining;
        if (!info || info.price !== level.price || shown !== o.qty || o.qty <= 0) {
          throw new Error(`order ${o.id} at ${name} ${level.price} disagrees with order(id)`);
        }
        if (
          info.displayQty !== undefined &&
          (o.qty > info.displayQty || o.qty > info.remaining || info.displayQty <= 0)
        ) {
          throw new Error(`iceberg ${o.id} shows ${o.qty}: more than its display quantity`);
        }
      }
      count += level.count;
    });
  }
  // untriggered stops hold slots but no level; none is reached by the last trade price
  const stops = book.stops();
  const last = book.lastPrice;
  for (const st of stops) {
    const trigger = st.trigger ?? Number.NaN;
    if (st.status !== 'untriggered' || book.order(st.id)?.trigger !== trigger) {
      throw new Error(`stop ${st.id} is listed but order(id) disagrees`);
    }
    if (last !== undefined && (st.side === 'buy' ? last >= trigger : last <= trigger)) {
      throw new Error(`stop ${st.id} (trigger ${trigger}) is reached by last ${last} but rests`);
    }
  }
  const buys = stops.filter((st) => st.side === 'buy').map((st) => st.trigger as number);
  const sells = stops.filter((st) => st.side === 'sell').map((st) => st.trigger as number);
  if (stops.slice(0, buys.length).some((st) => st.side !== 'buy'))
    throw new Error('stops() order: buys first');
  if (
    buys.some((t, i) => i > 0 && t < buys[i - 1]) ||
    sells.some((t, i) => i > 0 && t > sells[i - 1])
  ) {
    throw new Error('stops() is not in trigger order');
  }
  count += stops.length;
  if (count !== book.size) throw new Error(`size ${book.size} but levels hold ${count} orders`);
  if (book.size > book.config.capacity) {
    throw new Error(`size ${book.size} exceeds capacity ${book.config.capacity}`);
  }
}
