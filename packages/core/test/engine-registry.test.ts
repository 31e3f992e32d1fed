import { describe, expect, it } from 'vitest';
import { Engine, isTickbookError } from '../src/index';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isTickbookError(e) ? e.code : 'not a TickbookError';
  }
  return undefined;
}

describe('Engine: a registry of books by symbol', () => {
  it('keeps books apart, each with its own config', () => {
    const engine = new Engine();
    const btc = engine.addBook('BTC-USD', { minPrice: 1, maxPrice: 1_000_000, capacity: 10 });
    const eth = engine.addBook('ETH-USD', { minPrice: 100, maxPrice: 200, capacity: 2 });
    btc.limit({ id: 1, side: 'buy', price: 50_000, qty: 1 });
    eth.limit({ id: 1, side: 'buy', price: 150, qty: 1 });
    expect(engine.book('BTC-USD').bestBid()?.price).toBe(50_000);
    expect(engine.book('ETH-USD').bestBid()?.price).toBe(150);
    expect(engine.book('ETH-USD').config.capacity).toBe(2);
    expect(engine.symbols()).toEqual(['BTC-USD', 'ETH-USD']);
    expect(engine.size).toBe(2);
    expect(engine.has('BTC-USD')).toBe(true);
  });

  it('refuses duplicate and unknown symbols with typed errors', () => {
    const engine = new Engine();
    engine.addBook('A', { minPrice: 1, maxPrice: 10, capacity: 1 });
    expect(codeOf(() => engine.addBook('A', { minPrice: 1, maxPrice: 10, capacity: 1 }))).toBe(
      'DUPLICATE_SYMBOL',
    );
    expect(codeOf(() => engine.book('B'))).toBe('UNKNOWN_SYMBOL');
    expect(codeOf(() => engine.removeBook('B'))).toBe('UNKNOWN_SYMBOL');
    expect(codeOf(() => engine.addBook('', { minPrice: 1, maxPrice: 10, capacity: 1 }))).toBe(
      'INVALID_CONFIG',
    );
    engine.removeBook('A');
    expect(engine.has('A')).toBe(false);
  });
});
