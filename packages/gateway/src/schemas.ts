/**
 * JSON schemas of the HTTP API. Fastify validates every request against them
 * (bodies without type coercion: `"5"` is not a quantity) and serialises
 * answers with them.
 */
import { MAX_CLIENT_ID } from './ids';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const clientId = { type: 'integer', minimum: 1, maximum: MAX_CLIENT_ID } as const;
const ticks = { type: 'integer', minimum: 1, maximum: MAX_SAFE } as const;
const lots = { type: 'integer', minimum: 1, maximum: MAX_SAFE } as const;
const symbol = { type: 'string', minLength: 1, maxLength: 32 } as const;
/** A point in time on the gateway's clock: epoch milliseconds. */
const epochMs = { type: 'integer', minimum: 1, maximum: MAX_SAFE } as const;

/**
 * A field that is not allowed on this kind of order. `notAllowed` is a keyword
 * of the gateway's own (registered on the body validator in server.ts): it
 * fails whenever the field is present, with `why` as the message.
 */
const notAllowed = (why: string) => ({ notAllowed: why }) as const;

const typeIs = (type: string) =>
  ({ required: ['type'], properties: { type: { const: type } } }) as const;

/** Market order: `qty` or `notional` (both: the engine refuses `QTY_AND_NOTIONAL`), never rests. */
const marketRules = {
  properties: {
    price: notAllowed('a market order has no price'),
    displayQty: notAllowed('a market order never rests, so it cannot be an iceberg'),
    expiresAt: notAllowed('a market order never rests, so it cannot expire'),
    trigger: notAllowed('only a stop order has a trigger'),
  },
  if: { not: { required: ['notional'] } },
  // biome-ignore lint/suspicious/noThenProperty: JSON-schema if/then/else keyword
  then: { required: ['qty'] },
} as const;

/** Stop order: `trigger` and `qty`; `price` makes it a stop limit. */
const stopRules = {
  required: ['trigger', 'qty'],
  properties: {
    notional: notAllowed('a stop order is sized by qty'),
    protectionPrice: notAllowed('a stop order has no protection price'),
    displayQty: notAllowed('a stop order cannot be an iceberg'),
    postOnly: notAllowed('a stop order cannot be post-only'),
  },
} as const;

/** Limit order (the default type). */
const limitRules = {
  required: ['price', 'qty'],
  properties: {
    notional: notAllowed('only a market order is sized by notional'),
    protectionPrice: notAllowed('only a market order has a protection price'),
    trigger: notAllowed('only a stop order has a trigger'),
  },
} as const;

/**
 * One new order. `type` defaults to `limit`; a limit order needs `price` and
 * `qty`, a market order `qty` or `notional` (and no price), a stop order
 * `trigger` and `qty` (`price`: stop limit). Fields that do not apply to the
 * type are refused rather than ignored.
 */
export const orderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'side'],
  properties: {
    id: clientId,
    side: { type: 'string', enum: ['buy', 'sell'] },
    type: { type: 'string', enum: ['limit', 'market', 'stop'] },
    price: ticks,
    qty: lots,
    /** Market: quote amount (ticks × lots) to spend / receive at most, instead of `qty`. */
    notional: { type: 'integer', minimum: 1, maximum: MAX_SAFE },
    /** Market: worst price it may trade at. */
    protectionPrice: ticks,
    /** Limit (GTC): iceberg, shown quantity. */
    displayQty: lots,
    /** Stop: trigger price. */
    trigger: ticks,
    /** Limit (GTC) or stop: good-till-date, epoch milliseconds of the gateway's clock. */
    expiresAt: epochMs,
    timeInForce: { type: 'string', enum: ['GTC', 'IOC', 'FOK'] },
    postOnly: { type: 'boolean' },
    stp: {
      type: 'string',
      enum: ['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'],
    },
  },
  if: typeIs('market'),
  // biome-ignore lint/suspicious/noThenProperty: JSON-schema if/then/else keyword
  then: marketRules,
  else: {
    if: typeIs('stop'),
    // biome-ignore lint/suspicious/noThenProperty: JSON-schema if/then/else keyword
    then: stopRules,
    else: limitRules,
  },
} as const;

export interface OrderBody {
  id: number;
  side: 'buy' | 'sell';
  type?: 'limit' | 'market' | 'stop';
  price?: number;
  qty?: number;
  notional?: number;
  protectionPrice?: number;
  displayQty?: number;
  trigger?: number;
  expiresAt?: number;
  timeInForce?: 'GTC' | 'IOC' | 'FOK';
  postOnly?: boolean;
  stp?: 'cancel-newest' | 'cancel-oldest' | 'cancel-both' | 'decrement-and-cancel';
}

export const singleOrderBody = {
  ...orderSchema,
  required: ['symbol', ...orderSchema.required],
  properties: { symbol, ...orderSchema.properties },
} as const;

export function batchBody(maxOrders: number) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['symbol', 'orders'],
    properties: {
      symbol,
      orders: { type: 'array', minItems: 1, maxItems: maxOrders, items: orderSchema },
    },
  } as const;
}

/** Modify: new price and/or open qty; `trigger` for a stop that has not triggered yet. */
export const modifyBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { price: ticks, qty: lots, trigger: ticks },
} as const;

/** Reduce: `qty` is the amount to take off the open quantity (not the new quantity). */
export const reduceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['qty'],
  properties: { qty: lots },
} as const;

export const orderParams = {
  type: 'object',
  required: ['symbol', 'id'],
  properties: { symbol, id: clientId },
} as const;

export const symbolParams = {
  type: 'object',
  required: ['symbol'],
  properties: { symbol },
} as const;

export const depthQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { levels: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
} as const;

// ---- answers (also speed up serialisation) ----

const ownEvent = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    id: { type: 'integer' },
    role: { type: 'string' },
    side: { type: 'string' },
    orderType: { type: 'string' },
    price: { type: ['integer', 'null'] },
    /** `null` in the `accepted` event of a market order sized by `notional`. */
    qty: { type: ['integer', 'null'] },
    remaining: { type: 'integer' },
    reason: { type: 'string' },
    priorityKept: { type: 'boolean' },
    code: { type: 'string' },
    notional: { type: 'integer' },
    protectionPrice: { type: 'integer' },
    displayQty: { type: 'integer' },
    trigger: { type: 'integer' },
    expiresAt: { type: 'integer' },
  },
} as const;

const resultProps = {
  id: { type: 'integer' },
  status: { type: 'string' },
  filled: { type: 'integer' },
  remaining: { type: 'integer' },
  reason: { type: 'string' },
  code: { type: 'string' },
} as const;

export const commandAnswer = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    ...resultProps,
    events: { type: 'array', items: ownEvent },
  },
} as const;

export const batchAnswer = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    results: { type: 'array', items: { type: 'object', properties: resultProps } },
  },
} as const;

export const orderAnswer = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    id: { type: 'integer' },
    side: { type: 'string' },
    /** `null` for a stop market that has not triggered. */
    price: { type: ['integer', 'null'] },
    remaining: { type: 'integer' },
    filled: { type: 'integer' },
    status: { type: 'string' },
    postOnly: { type: 'boolean' },
    stp: { type: 'string' },
    expiresAt: { type: 'integer' },
    displayQty: { type: 'integer' },
    displayed: { type: 'integer' },
    trigger: { type: 'integer' },
    timeInForce: { type: 'string' },
  },
} as const;

const level = {
  type: 'object',
  properties: { price: { type: 'integer' }, qty: { type: 'integer' }, count: { type: 'integer' } },
} as const;

export const depthAnswer = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    seq: { type: 'integer' },
    bids: { type: 'array', items: level },
    asks: { type: 'array', items: level },
  },
} as const;

export const errorAnswer = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    id: { type: 'integer' },
  },
} as const;
