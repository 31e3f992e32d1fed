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

/** One new order. `type` defaults to `limit`; a limit order needs `price`, a market order must not have one. */
export const orderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'side', 'qty'],
  properties: {
    id: clientId,
    side: { type: 'string', enum: ['buy', 'sell'] },
    type: { type: 'string', enum: ['limit', 'market'] },
    price: ticks,
    qty: lots,
    timeInForce: { type: 'string', enum: ['GTC', 'IOC', 'FOK'] },
    postOnly: { type: 'boolean' },
    stp: {
      type: 'string',
      enum: ['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'],
    },
  },
  if: { required: ['type'], properties: { type: { const: 'market' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON-schema if/then/else keyword
  then: { properties: { price: false } },
  else: { required: ['price'] },
} as const;

export interface OrderBody {
  id: number;
  side: 'buy' | 'sell';
  type?: 'limit' | 'market';
  price?: number;
  qty: number;
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

export const modifyBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { price: ticks, qty: lots },
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
  properties: { levels: { type: 'integer', minimum: 1, maximum: 100_000, default: 50 } },
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
    qty: { type: 'integer' },
    remaining: { type: 'integer' },
    reason: { type: 'string' },
    priorityKept: { type: 'boolean' },
    code: { type: 'string' },
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
    price: { type: 'integer' },
    remaining: { type: 'integer' },
    filled: { type: 'integer' },
    status: { type: 'string' },
    postOnly: { type: 'boolean' },
    stp: { type: 'string' },
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
