/**
 * The validation table: every check of every command, in the order both
 * engines run them. The first failing check is the refusal, and nothing
 * changes before every check has passed. docs/semantics.md spells each row
 * out ("Validation (first failing check wins)"); a test holds that page, the
 * reference matcher (`reference/validate.ts`) and the WebAssembly matcher
 * (`assembly/validate.ts`) to this order, on every path, pair of failing
 * checks by pair.
 */
import type { ErrorCode } from './errors';
import type { Command } from './types';

/** One check: the code it refuses with, and what it refuses. */
export interface ValidationStep {
  readonly code: ErrorCode;
  readonly refuses: string;
}

// Checks that several commands share, defined once.
const ID: ValidationStep = {
  code: 'INVALID_ID',
  refuses: 'an id that is not a positive safe integer',
};
const SIDE: ValidationStep = { code: 'INVALID_SIDE', refuses: "a side other than 'buy' or 'sell'" };
const PRICE: ValidationStep = {
  code: 'INVALID_PRICE',
  refuses: 'a price that is not a positive safe integer',
};
const BAND: ValidationStep = {
  code: 'PRICE_OUT_OF_BAND',
  refuses: 'a price outside [minPrice, maxPrice]',
};
const QTY: ValidationStep = {
  code: 'INVALID_QTY',
  refuses: 'a qty that is not a positive safe integer',
};
const OWNER: ValidationStep = {
  code: 'INVALID_OWNER',
  refuses: 'an owner that is not a positive safe integer',
};
const STP: ValidationStep = { code: 'INVALID_STP_MODE', refuses: 'an unknown stp mode' };
const TRIGGER: ValidationStep = {
  code: 'INVALID_TRIGGER',
  refuses: 'a trigger that is not an in-band positive safe integer',
};
const DUPLICATE: ValidationStep = {
  code: 'DUPLICATE_ID',
  refuses: 'the id of an order or stop in the book',
};
const EXPIRED: ValidationStep = {
  code: 'ALREADY_EXPIRED',
  refuses: "an expiresAt at or before the book's time",
};
const UNKNOWN: ValidationStep = {
  code: 'UNKNOWN_ORDER',
  refuses: 'an id no order or stop in the book has',
};

/** The checks of each command kind, first to last. */
export const VALIDATION_ORDER: Readonly<Record<Command['kind'], readonly ValidationStep[]>> = {
  limit: [
    ID,
    SIDE,
    PRICE,
    BAND,
    QTY,
    { code: 'INVALID_TIF', refuses: "a timeInForce other than 'GTC', 'IOC', 'FOK'" },
    {
      code: 'INVALID_POST_ONLY',
      refuses: 'a postOnly that is not a boolean, or true with IOC/FOK',
    },
    OWNER,
    STP,
    {
      code: 'INVALID_EXPIRY',
      refuses: 'an expiresAt that is not a positive safe integer, or with IOC/FOK',
    },
    {
      code: 'INVALID_DISPLAY',
      refuses:
        'a displayQty that is not a positive safe integer, ≥ qty, < qty / 1000, or with IOC/FOK',
    },
    DUPLICATE,
    EXPIRED,
    { code: 'BOOK_FULL', refuses: 'a GTC order when the book holds capacity orders' },
    { code: 'QTY_OVERFLOW', refuses: 'a GTC order that would take its level past 2^53-1 lots' },
  ],
  market: [
    ID,
    SIDE,
    {
      code: 'INVALID_QTY',
      refuses: 'without a notional: a qty that is not a positive safe integer',
    },
    { code: 'QTY_AND_NOTIONAL', refuses: 'with a notional: a qty as well' },
    { code: 'INVALID_NOTIONAL', refuses: 'a notional that is not a positive safe integer' },
    { code: 'INVALID_PRICE', refuses: 'a protectionPrice that is not a positive safe integer' },
    { code: 'PRICE_OUT_OF_BAND', refuses: 'a protectionPrice outside [minPrice, maxPrice]' },
    { code: 'INVALID_TIF', refuses: "a timeInForce other than 'IOC', 'FOK'; FOK with a notional" },
    { code: 'INVALID_POST_ONLY', refuses: 'a postOnly other than false' },
    OWNER,
    STP,
    DUPLICATE,
  ],
  cancel: [ID, UNKNOWN],
  modify: [
    ID,
    PRICE,
    BAND,
    QTY,
    TRIGGER,
    UNKNOWN,
    { code: 'INVALID_PRICE', refuses: 'an untriggered stop market: a price' },
    { code: 'INVALID_TRIGGER', refuses: 'a resting order: a trigger' },
    { code: 'INVALID_DISPLAY', refuses: 'a resting iceberg: a new qty above 1000 × displayQty' },
    {
      code: 'QTY_OVERFLOW',
      refuses: 'a resting order that would take its new level past 2^53-1 lots',
    },
  ],
  reduce: [
    ID,
    { code: 'INVALID_QTY', refuses: 'a qty to take off that is not a positive safe integer' },
    UNKNOWN,
  ],
  stop: [
    ID,
    SIDE,
    TRIGGER,
    PRICE,
    BAND,
    QTY,
    {
      code: 'INVALID_TIF',
      refuses: "a timeInForce other than 'GTC', 'IOC', 'FOK'; GTC without a price",
    },
    OWNER,
    STP,
    { code: 'INVALID_EXPIRY', refuses: 'an expiresAt that is not a positive safe integer' },
    DUPLICATE,
    EXPIRED,
    { code: 'BOOK_FULL', refuses: 'any stop when the book holds capacity orders' },
  ],
  'advance-time': [
    { code: 'INVALID_TIME', refuses: 'a time that is not a non-negative safe integer' },
    { code: 'TIME_BACKWARDS', refuses: "a time before the book's time" },
  ],
};
