/**
 * Refusals of the per-order API, thrown on the hot path. W1 refuses one
 * cancel in eight, and a `TickbookError` built by its constructor captures a
 * stack trace (about 3 µs, more than the command itself). These errors are
 * the same class with the same `name`, `message`, `code` and `orderId`, but
 * no captured stack: `stack` is just `name: message`. Per code, a prototype
 * (below `TickbookError.prototype`) holds the message and stack, so building
 * one costs an object and three stores.
 */
import { type ErrorCode, TickbookError } from './errors';

const prototypes = new Map<ErrorCode, object>();

function prototypeFor(code: ErrorCode): object {
  let proto = prototypes.get(code);
  if (proto === undefined) {
    const message = new TickbookError(code).message;
    proto = Object.create(TickbookError.prototype, {
      message: { value: message, writable: true, configurable: true },
      stack: { value: `TickbookError: ${message}`, writable: true, configurable: true },
    }) as object;
    prototypes.set(code, proto);
  }
  return proto;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A {@link TickbookError} for `code` (no detail), without a stack trace. */
export function refusal(code: ErrorCode, orderId: number | undefined): TickbookError {
  const error = Object.create(prototypeFor(code)) as Mutable<TickbookError>;
  error.name = 'TickbookError';
  error.code = code;
  error.orderId = orderId;
  return error;
}
