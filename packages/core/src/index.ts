/**
 * tickbook: an embeddable limit-order-book matching engine for Node.js.
 * @packageDocumentation
 */
export type { Book } from './book';
export { opensCommand, opensCommandCode } from './command-start';
export { MAX_BAND_TICKS, MAX_CAPACITY, type ResolvedConfig } from './config';
export { createBook } from './create-book';
export { type Decimal, fromLots, fromTicks, toLots, toTicks } from './decimal';
export * from './durability/index';
export { Engine } from './engine';
export {
  ERROR_CODE_LIST,
  ERROR_CODES,
  type ErrorCode,
  isTickbookError,
  TickbookError,
} from './errors';
export { OrderIdMap } from './order-ids';
export { setDebugErrors } from './refusal';
export {
  BookReader,
  type BookReaderDescriptor,
  depthBufferLength,
  type SequencedDepth,
} from './threads/book-reader';
export {
  type CommandResult,
  createCommandRing,
  RingConsumer,
  type RingDescriptor,
  type RingOptions,
  RingProducer,
} from './threads/command-ring';
export type {
  AcceptedEvent,
  BookConfig,
  BookEvent,
  CancelledEvent,
  CancelReason,
  Command,
  Depth,
  EngineKind,
  Level,
  LevelChangedEvent,
  LimitOrder,
  MarketOrder,
  ModifiedEvent,
  ModifyRequest,
  OrderInfo,
  OrderType,
  ReduceRequest,
  RefreshedEvent,
  RejectedEvent,
  RestingOrder,
  Side,
  StopOrder,
  StpMode,
  TimeAdvancedEvent,
  TimeInForce,
  TradeEvent,
  TriggeredEvent,
} from './types';
export * from './wasm/index';
