/**
 * Loading the WebAssembly matcher yourself (setMatcher), and the error-code
 * numbering the matcher shares with TypeScript.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWasmBook, setMatcher, type TickbookError } from '../src/index';

const wasmFile = resolve(import.meta.dirname, '../../matcher-wasm/build/matcher.wasm');
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as TickbookError).code;
  }
  return 'no error';
};

describe('setMatcher', () => {
  it('takes the bytes, as Uint8Array or ArrayBuffer', () => {
    const bytes = readFileSync(wasmFile);
    setMatcher(bytes);
    setMatcher(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const book = createWasmBook({ minPrice: 1, maxPrice: 100, capacity: 4 });
    book.limit({ id: 1, side: 'sell', price: 10, qty: 2 });
    expect(book.market({ id: 2, side: 'buy', qty: 1 })[1]).toMatchObject({ type: 'trade', qty: 1 });
  });

  it('takes a compiled WebAssembly.Module', () => {
    const wasm = (
      globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } }
    ).WebAssembly;
    setMatcher(new wasm.Module(readFileSync(wasmFile)));
    expect(createWasmBook({ minPrice: 1, maxPrice: 100, capacity: 4 }).size).toBe(0);
  });

  it('refuses what is not the matcher with MATCHER_NOT_FOUND, keeping the one it has', () => {
    expect(codeOf(() => setMatcher(new Uint8Array([1, 2, 3])))).toBe('MATCHER_NOT_FOUND');
    expect(codeOf(() => setMatcher('matcher.wasm' as unknown as Uint8Array))).toBe(
      'MATCHER_NOT_FOUND',
    );
    expect(createWasmBook({ minPrice: 1, maxPrice: 100, capacity: 4 }).size).toBe(0);
  });
});
