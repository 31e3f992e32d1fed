/**
 * Refusals of the per-order API, thrown on the hot path. W1 refuses one
 * cancel in eight, and a `TickbookError` built by its constructor captures a
 * stack trace (about 3 µs, more than the command itself). These errors are
 * the same class with the same `name`, `message`, `code` and `orderId`, but
 * no captured stack unless debug errors are on ({@link setDebugErrors},
 * `TICKBOOK_DEBUG=1`). Per code, a prototype (below `TickbookError.prototype`)
 * holds getters for the message and stack, so building one costs an object
 * and four stores; the message, with the offending value, is written only
 * when someone reads it.
 */
import { describeValue } from './describe';
import { ERROR_CODES, type ErrorCode, TickbookError } from './errors';

/** Which field of the refused command each code is about, and what it should have been. */
const OFFENDING: Partial<Record<ErrorCode, [field: string, should: string]>> = {
  INVALID_ID: ['id', 'is not a positive safe integer'],
  DUPLICATE_ID: ['id', 'is the id of a live order'],
  UNKNOWN_ORDER: ['id', 'is not the id of a resting order'],
  INVALID_SIDE: ['side', "is not 'buy' or 'sell'"],
  INVALID_PRICE: ['price', 'is not a positive safe integer number of ticks'],
  PRICE_OUT_OF_BAND: ['price', "is outside the book's price band"],
  INVALID_QTY: ['qty', 'is not a positive safe integer number of lots'],
  INVALID_OWNER: ['owner', 'is not a positive safe integer'],
  INVALID_STP_MODE: ['stp', 'is not a self-trade prevention mode'],
  INVALID_TIF: ['timeInForce', 'is not a time in force this order takes'],
  INVALID_POST_ONLY: ['postOnly', 'is not allowed here (GTC limit orders only)'],
  INVALID_NOTIONAL: ['notional', 'is not a positive safe integer'],
  INVALID_EXPIRY: ['expiresAt', 'is not a positive safe integer on a GTC order'],
  ALREADY_EXPIRED: ['expiresAt', "is not after the book's time"],
  INVALID_DISPLAY: ['displayQty', 'is not a valid display quantity for this qty'],
  INVALID_TRIGGER: ['trigger', 'is not a valid trigger price'],
  INVALID_TIME: ['time', 'is not a non-negative safe integer'],
  TIME_BACKWARDS: ['time', "is before the book's time"],
};

/** The message of a refusal of `input` (the order, request, id or time given). */
function messageOf(code: ErrorCode, input: unknown): string {
  const offending = OFFENDING[code];
  if (offending && input !== undefined) {
    const [field, should] = offending;
    const value =
      typeof input === 'object' && input !== null
        ? (input as Record<string, unknown>)[field]
        : input;
    if (value !== undefined) return `${code}: ${field} ${describeValue(value)} ${should}`;
  }
  return `${code}: ${ERROR_CODES[code]}`;
}

/**
 * Symbol-keyed, so `Object.keys` of a refusal are those of a constructed
 * TickbookError (name, code, orderId) and serialisers do not see them.
 */
const INPUT = Symbol('tickbook.refusedInput');
const CAPTURED = Symbol('tickbook.capturedStack');

/** Fields of a refusal object. */
interface RefusalFields {
  name: string;
  code: ErrorCode;
  orderId: number | undefined;
  /** The refused order, request, id or time. */
  [INPUT]: unknown;
  /** A captured stack, in debug mode. */
  [CAPTURED]?: string;
}

const prototypes = new Map<ErrorCode, object>();

function prototypeFor(code: ErrorCode): object {
  let proto = prototypes.get(code);
  if (proto === undefined) {
    proto = Object.create(TickbookError.prototype, {
      message: {
        get(this: RefusalFields) {
          return messageOf(code, this[INPUT]);
        },
        set(this: object, value: string) {
          Object.defineProperty(this, 'message', { value, writable: true, configurable: true });
        },
        configurable: true,
      },
      stack: {
        get(this: RefusalFields & { message: string }) {
          return `TickbookError: ${this.message}${this[CAPTURED] ?? ''}`;
        },
        set(this: object, value: string) {
          Object.defineProperty(this, 'stack', { value, writable: true, configurable: true });
        },
        configurable: true,
      },
    }) as object;
    prototypes.set(code, proto);
  }
  return proto;
}

let debug =
  typeof process !== 'undefined' && /^(1|true|yes)$/i.test(process.env.TICKBOOK_DEBUG ?? '');

/**
 * Capture a stack trace in every refusal thrown by per-order calls (for
 * development: it costs about 3 µs a refusal). Also on when the process starts
 * with `TICKBOOK_DEBUG=1`. Off, a thrown refusal's `stack` is its message only.
 */
export function setDebugErrors(on: boolean): void {
  debug = on;
}

/**
 * A {@link TickbookError} for `code`, without a stack trace unless debug
 * errors are on. `input` (the refused order, request, id or time) supplies
 * the offending value to the message when it is read.
 */
export function refusal(
  code: ErrorCode,
  orderId: number | undefined,
  input?: unknown,
): TickbookError {
  const error = Object.create(prototypeFor(code)) as RefusalFields;
  error.name = 'TickbookError';
  error.code = code;
  error.orderId = orderId;
  error[INPUT] = input;
  if (debug) {
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, refusal);
    const stack = holder.stack ?? '';
    error[CAPTURED] = stack.slice(stack.indexOf('\n'));
  }
  return error as unknown as TickbookError;
}
