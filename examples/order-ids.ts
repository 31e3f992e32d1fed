import { randomUUID } from 'node:crypto';
import { createBook, OrderIdMap } from 'tickbook';

const book = createBook({ minPrice: 1, maxPrice: 1_000_000, capacity: 100_000 });
const ids = new OrderIdMap<string>(); // your ids (strings, UUIDs, bigints) ↔ book ids

const maker = randomUUID();
book.limit({ id: ids.idFor(maker), side: 'sell', price: 10_100, qty: 5 });
for (const e of book.limit({ id: ids.idFor(randomUUID()), side: 'buy', price: 10_100, qty: 5 })) {
  if (e.type === 'trade') console.log(`maker ${ids.externalOf(e.makerId) === maker}`); // maker true
  ids.releaseFinished([e]); // forget orders that filled or were cancelled
}
console.log(ids.size, book.size); // 0 0
