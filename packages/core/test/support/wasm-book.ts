/** WASM books for the tests of the WASM engine's own API (`createBook` hides it). */
import { resolveConfig } from '../../src/config';
import type { BookConfig, BookEvent, Command } from '../../src/index';
import { CommandBuffer, createWasmBook, type WasmBook } from '../../src/wasm/index';

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
