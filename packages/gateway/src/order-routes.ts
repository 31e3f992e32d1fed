/**
 * The order and book routes under /v1: place (one or a batch), get, cancel,
 * modify, reduce, depth. Authentication runs before them (auth.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Command, ERROR_CODES, type ErrorCode } from 'tickbook';
import type { GatewayConfig } from './config';
import { clientIdOf, toEngineId } from './ids';
import type { OrderMarket } from './market';
import type { GatewayMetrics } from './metrics';
import {
  batchAnswer,
  batchBody,
  commandAnswer,
  depthAnswer,
  depthQuery,
  errorAnswer,
  modifyBody,
  type OrderBody,
  orderAnswer,
  orderParams,
  reduceBody,
  singleOrderBody,
  symbolParams,
} from './schemas';
import { ownEvents, summarize } from './views';

/** HTTP status of an engine refusal. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'UNKNOWN_ORDER':
    case 'UNKNOWN_SYMBOL':
      return 404;
    case 'DUPLICATE_ID':
    case 'BOOK_FULL':
    case 'QTY_OVERFLOW':
      return 409;
    case 'JOURNAL_FAILED':
    case 'ENGINE_FAILED':
      return 503;
    default:
      return 422;
  }
}

export function refuse(reply: FastifyReply, code: ErrorCode, id?: number) {
  const body: { statusCode: number; code: string; message: string; id?: number } = {
    statusCode: statusOf(code),
    code,
    message: ERROR_CODES[code],
  };
  if (id !== undefined) body.id = id;
  return reply.code(body.statusCode).send(body);
}

/** A new order that may end up held by the book: a GTC limit order (it may rest) or a stop (it waits). */
function mayRest(c: Command): boolean {
  return c.kind === 'stop' || (c.kind === 'limit' && (c.timeInForce ?? 'GTC') === 'GTC');
}

/**
 * The engine command of a new order from account `owner`. Fields the client
 * left out stay `undefined`, which the engine (and its journal) treat as absent.
 */
function toCommand(o: OrderBody, owner: number): Command {
  const id = toEngineId(owner, o.id);
  switch (o.type) {
    case 'market':
      return {
        kind: 'market',
        id,
        side: o.side,
        qty: o.qty,
        notional: o.notional,
        protectionPrice: o.protectionPrice,
        timeInForce: o.timeInForce as 'IOC' | 'FOK' | undefined,
        postOnly: o.postOnly,
        owner,
        stp: o.stp,
      } as Command;
    case 'stop':
      return {
        kind: 'stop',
        id,
        side: o.side,
        trigger: o.trigger as number,
        price: o.price,
        qty: o.qty as number,
        timeInForce: o.timeInForce,
        owner,
        stp: o.stp,
        expiresAt: o.expiresAt,
      };
    default:
      return {
        kind: 'limit',
        id,
        side: o.side,
        price: o.price as number,
        qty: o.qty as number,
        timeInForce: o.timeInForce,
        postOnly: o.postOnly,
        owner,
        stp: o.stp,
        expiresAt: o.expiresAt,
        displayQty: o.displayQty,
      };
  }
}

/** Register the order and book routes on the /v1 scope. */
export function registerOrderRoutes(
  v1: FastifyInstance,
  config: GatewayConfig,
  markets: ReadonlyMap<string, OrderMarket>,
  metrics: GatewayMetrics,
): void {
  const httpError = (code: string) => metrics.httpErrors.labels({ code });
  // Orders an account may hold per book: checked (and counted as queued) before the book.
  const maxResting = config.maxRestingOrdersPerSymbol;
  const tooManyOrders = httpError('TOO_MANY_ORDERS');
  const tooManyMessage = `this account already holds ${maxResting} orders in this book (maxRestingOrdersPerSymbol)`;
  /** Whether `command` may go to the book; true also when it is counted as admitted. */
  const admit = (market: OrderMarket, owner: number, command: Command): boolean => {
    if (maxResting <= 0 || !mayRest(command)) return true;
    if (market.admit(owner, maxResting)) return true;
    tooManyOrders.inc();
    return false;
  };
  const admitted = (command: Command) => (maxResting > 0 && mayRest(command) ? 1 : 0);

  const marketOf = (symbol: string, reply: FastifyReply): OrderMarket | undefined => {
    const m = markets.get(symbol);
    if (!m) refuse(reply, 'UNKNOWN_SYMBOL');
    return m;
  };

  const oneCommand = async (
    req: FastifyRequest,
    reply: FastifyReply,
    market: OrderMarket,
    command: Command,
    admittedOrders = 0,
  ) => {
    const [events] = await market.submit([command], req.owner, admittedOrders);
    // A reduce's events do not say whether the order is a stop still waiting
    // for its trigger; the book does (a stop never goes back to waiting).
    const untriggered =
      command.kind === 'reduce' && market.book.order(command.id)?.status === 'untriggered';
    const result = summarize(command, events, untriggered);
    if (result.code) return refuse(reply, result.code, result.id);
    return { symbol: market.symbol, ...result, events: ownEvents(events, req.owner) };
  };

  const answers = { 200: commandAnswer, '4xx': errorAnswer, '5xx': errorAnswer };

  v1.post(
    '/orders',
    { schema: { body: singleOrderBody, response: answers } },
    async (req, reply) => {
      const body = req.body as OrderBody & { symbol: string };
      const market = marketOf(body.symbol, reply);
      if (!market) return reply;
      const command = toCommand(body, req.owner);
      if (!admit(market, req.owner, command)) {
        return reply.code(409).send({
          statusCode: 409,
          code: 'TOO_MANY_ORDERS',
          message: tooManyMessage,
          id: body.id,
        });
      }
      return oneCommand(req, reply, market, command, admitted(command));
    },
  );

  v1.post(
    '/orders/batch',
    {
      schema: {
        body: batchBody(config.maxBatchOrders),
        response: { 200: batchAnswer, '4xx': errorAnswer, '5xx': errorAnswer },
      },
    },
    async (req, reply) => {
      const body = req.body as { symbol: string; orders: OrderBody[] };
      const market = marketOf(body.symbol, reply);
      if (!market) return reply;
      const owner = req.owner;
      const commands = body.orders.map((o) => toCommand(o, owner));
      // Orders past the account's limit are answered here; the others go to the book.
      let toBook = commands;
      let refused: boolean[] | undefined;
      let admittedOrders = 0;
      if (maxResting > 0) {
        for (let i = 0; i < commands.length; i++) {
          const c = commands[i];
          if (!mayRest(c)) continue;
          if (admit(market, owner, c)) admittedOrders++;
          else {
            refused ??= new Array<boolean>(commands.length).fill(false);
            refused[i] = true;
          }
        }
        if (refused) toBook = commands.filter((_, i) => !refused?.[i]);
      }
      const perCommand =
        toBook.length > 0 ? await market.submit(toBook, owner, admittedOrders) : [];
      let rejected = 0;
      let k = 0;
      const results = commands.map((c, i): object => {
        if (refused?.[i]) {
          rejected++;
          const id = body.orders[i].id;
          return { id, status: 'rejected', filled: 0, remaining: 0, code: 'TOO_MANY_ORDERS' };
        }
        const r = summarize(c, perCommand[k++]);
        if (r.code) rejected++;
        return r;
      });
      return { symbol: market.symbol, accepted: results.length - rejected, rejected, results };
    },
  );

  v1.get(
    '/orders/:symbol/:id',
    { schema: { params: orderParams, response: { 200: orderAnswer, '4xx': errorAnswer } } },
    async (req, reply) => {
      const { symbol, id } = req.params as { symbol: string; id: number };
      const market = marketOf(symbol, reply);
      if (!market) return reply;
      const info = market.book.order(toEngineId(req.owner, id));
      if (!info || info.owner !== req.owner) return refuse(reply, 'UNKNOWN_ORDER', id);
      return { symbol, ...info, id: clientIdOf(info.id) };
    },
  );

  v1.delete(
    '/orders/:symbol/:id',
    { schema: { params: orderParams, response: answers } },
    async (req, reply) => {
      const { symbol, id } = req.params as { symbol: string; id: number };
      const market = marketOf(symbol, reply);
      if (!market) return reply;
      return oneCommand(req, reply, market, { kind: 'cancel', id: toEngineId(req.owner, id) });
    },
  );

  v1.patch(
    '/orders/:symbol/:id',
    { schema: { params: orderParams, body: modifyBody, response: answers } },
    async (req, reply) => {
      const { symbol, id } = req.params as { symbol: string; id: number };
      const { price, qty, trigger } = req.body as {
        price?: number;
        qty?: number;
        trigger?: number;
      };
      const market = marketOf(symbol, reply);
      if (!market) return reply;
      const command: Command = { kind: 'modify', id: toEngineId(req.owner, id) };
      if (price !== undefined) command.price = price;
      if (qty !== undefined) command.qty = qty;
      if (trigger !== undefined) command.trigger = trigger;
      return oneCommand(req, reply, market, command);
    },
  );

  v1.post(
    '/orders/:symbol/:id/reduce',
    { schema: { params: orderParams, body: reduceBody, response: answers } },
    async (req, reply) => {
      const { symbol, id } = req.params as { symbol: string; id: number };
      const { qty } = req.body as { qty: number };
      const market = marketOf(symbol, reply);
      if (!market) return reply;
      return oneCommand(req, reply, market, {
        kind: 'reduce',
        id: toEngineId(req.owner, id),
        qty,
      });
    },
  );

  v1.get(
    '/depth/:symbol',
    {
      schema: {
        params: symbolParams,
        querystring: depthQuery,
        response: { 200: depthAnswer, '4xx': errorAnswer },
      },
    },
    async (req, reply) => {
      const { symbol } = req.params as { symbol: string };
      const { levels } = req.query as { levels: number };
      const market = marketOf(symbol, reply);
      if (!market) return reply;
      const depth = market.book.depth(levels);
      return { symbol, seq: market.l2Seq, bids: depth.bids, asks: depth.asks };
    },
  );
}
