/** WASM books for the tests of the WASM engine's own API (`createBook` hides it). */
import { expect } from 'vitest';
import { resolveConfig } from '../../src/config';
import type { Book, BookConfig, BookEvent, Command } from '../../src/index';
import { CommandBuffer, createWasmBook, type WasmBook } from '../../src/wasm/index';
import { dumpBook } from './book-state';

export function wasmBook(config: BookConfig): WasmBook {
  return createWasmBook(resolveConfig({ ...config, engine: 'wasm' }));
}

/** The events of `commands` through the binary path: one CommandBuffer, `applyEncodedEvents`. */
export function encodedEvents(
  book: WasmBook,
  commands: readonly Command[],
  bufferCapacity?: number,
): BookEvent[] {
  const buffer = new CommandBuffer(bufferCapacity);
  for (const c of commands) buffer.push(c);
  return book.applyEncodedEvents(buffer);
}

/** The WASM book holds exactly what the reference book holds, and passes its own invariant check. */
export function expectSameAsRef(book: WasmBook, ref: Book, label?: string): void {
  expect(dumpBook(book), label).toEqual(dumpBook(ref));
  book.checkInvariants();
}
