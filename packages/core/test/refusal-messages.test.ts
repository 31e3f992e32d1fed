/**
 * Per-order refusals name the offending value in their message, carry no
 * stack trace by default (speed), and capture one when debug errors are on.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBook, type EngineKind, setDebugErrors } from '../src/index';
import { thrown } from './support/thrown';

describe.each<EngineKind>(['wasm', 'js'])('%s engine', (engine) => {
  const book = () => createBook({ minPrice: 1, maxPrice: 1_000, capacity: 10, engine });
  afterEach(() => setDebugErrors(false));

  it('puts the offending value in the message', () => {
    const b = book();
    const price = thrown(() => b.limit({ id: 1, side: 'buy', price: 101.25, qty: 1 }));
    expect(price.code).toBe('INVALID_PRICE');
    expect(price.message).toBe(
      'INVALID_PRICE: price 101.25 is not a positive safe integer number of ticks',
    );
    expect(price.orderId).toBe(1);
    expect(thrown(() => b.limit({ id: 2, side: 'up' as 'buy', price: 5, qty: 1 })).message).toBe(
      "INVALID_SIDE: side 'up' is not 'buy' or 'sell'",
    );
    expect(thrown(() => b.limit({ id: 3, side: 'buy', price: 5_000, qty: 1 })).message).toMatch(
      /^PRICE_OUT_OF_BAND: price 5000 is outside/,
    );
    expect(thrown(() => b.cancel(42)).message).toBe(
      'UNKNOWN_ORDER: id 42 is not the id of a resting order',
    );
    b.advanceTime(10);
    expect(thrown(() => b.advanceTime(5)).message).toBe(
      "TIME_BACKWARDS: time 5 is before the book's time",
    );
    // Codes about no single field keep the general message.
    const full = createBook({ minPrice: 1, maxPrice: 100, capacity: 1, engine });
    full.limit({ id: 1, side: 'buy', price: 5, qty: 1 });
    expect(thrown(() => full.limit({ id: 2, side: 'buy', price: 5, qty: 1 })).message).toBe(
      'BOOK_FULL: The book holds its maximum number of resting orders',
    );
  });

  it('has no stack trace by default, and a real one with setDebugErrors(true)', () => {
    const b = book();
    const fast = thrown(() => b.cancel(7));
    expect(fast.stack).toBe(`TickbookError: ${fast.message}`);
    setDebugErrors(true);
    const slow = thrown(() => b.cancel(7));
    expect(slow.stack?.startsWith(`TickbookError: ${slow.message}\n    at `)).toBe(true);
    expect(slow.stack).toContain('refusal-messages.test.ts');
    expect(slow).toBeInstanceOf(Error);
  });
});

it('TICKBOOK_DEBUG=1 turns stacks on for the whole process', () => {
  const dist = resolve(import.meta.dirname, '../dist/index.js');
  const script = `import('${dist}').then(({ createBook }) => {
    try { createBook({ minPrice: 1, maxPrice: 9, capacity: 1 }).cancel(3); }
    catch (e) { console.log(e.stack.split('\\n').length > 1 ? 'stack' : 'none'); }
  });`;
  const run = (env: Record<string, string>) =>
    execFileSync('node', ['-e', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).trim();
  expect(run({ TICKBOOK_DEBUG: '1' })).toBe('stack');
  expect(run({ TICKBOOK_DEBUG: '' })).toBe('none');
});
