import { createBook } from 'tickbook';

const book = createBook({ minPrice: 1, maxPrice: 1_000_000, capacity: 100_000 });

book.limit({ id: 1, side: 'sell', price: 10_100, qty: 5 });
book.limit({ id: 2, side: 'sell', price: 10_101, qty: 5 });

for (const e of book.limit({ id: 3, side: 'buy', price: 10_101, qty: 7 })) {
  if (e.type === 'trade') console.log(`trade ${e.qty} @ ${e.price} (maker ${e.makerId})`);
}
// trade 5 @ 10100 (maker 1)
// trade 2 @ 10101 (maker 2)

console.log(book.bestAsk()); // { price: 10101, qty: 3, count: 1 }
book.cancel(2);
