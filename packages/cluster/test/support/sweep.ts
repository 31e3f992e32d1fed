import type { BookConfig, Command } from 'tickbook';

/** A book with room for {@link sweep}. */
export const SWEPT_BOOK: BookConfig = { minPrice: 1, maxPrice: 1000, capacity: 20_000 };

/**
 * `n` resting sells of 1 lot (in messages of 1,500) and one market buy that
 * takes them all: its trades, about 120 bytes each in JSON, exceed one NATS
 * message from about 7,700 on.
 */
export function sweep(n: number): { makers: Command[][]; market: Command } {
  const makers: Command[][] = [];
  for (let m = 0; m < n; m += 1500) {
    const batch: Command[] = [];
    for (let i = m; i < Math.min(n, m + 1500); i++) {
      batch.push({
        kind: 'limit',
        id: 1 + i,
        side: 'sell',
        price: 500 + (i % 50),
        qty: 1,
        owner: 1 + (i % 3),
      });
    }
    makers.push(batch);
  }
  return { makers, market: { kind: 'market', id: n + 1, side: 'buy', qty: n } };
}
