/**
 * The WebAssembly engine. `createWasmBook` is what `createBook({engine:'wasm'})`
 * uses; the binary batch API ({@link CommandBuffer}, {@link EventCursor}) is
 * exported for callers who want the last nanoseconds (the benchmark).
 */
import { resolveConfig } from '../config';
import type { BookConfig } from '../types';
import { WasmBook } from './wasm-book';

export {
  EV_ACCEPTED,
  EV_CANCELLED,
  EV_LEVEL,
  EV_LEVEL_CHANGED,
  EV_MODIFIED,
  EV_REFRESHED,
  EV_REJECTED,
  EV_TIME,
  EV_TIME_ADVANCED,
  EV_TRADE,
  EV_TRIGGERED,
  EVENT_TYPE_CODES,
  REASON_CODES,
  WASM_ERROR_CODES,
} from './codes';
export {
  CommandBuffer,
  codeOf,
  SIDE_BUY,
  SIDE_SELL,
  type SideCode,
  STP_BOOK_DEFAULT,
  STP_CANCEL_BOTH,
  STP_CANCEL_NEWEST,
  STP_CANCEL_OLDEST,
  STP_DECREMENT_AND_CANCEL,
  type StpCode,
  TIF_FOK,
  TIF_GTC,
  TIF_IOC,
  type TifCode,
} from './command-buffer';
export { EventCursor, type EventTypeCode } from './event-cursor';
export { type MatcherSource, setMatcher } from './module';
export { type EventSink, WasmBook } from './wasm-book';

/**
 * A book run by the WebAssembly matcher, in its own shared memory.
 * @param config - as for `createBook`; `engine` is set to `'wasm'`.
 * @throws {@link TickbookError} `INVALID_CONFIG` naming the bad field.
 */
export function createWasmBook(config: BookConfig): WasmBook {
  return new WasmBook(resolveConfig({ ...config, engine: 'wasm' }));
}
