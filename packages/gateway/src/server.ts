/**
 * The gateway: a Fastify app serving tickbook books over HTTP + WebSocket.
 */
import { mkdirSync } from 'node:fs';
import websocket from '@fastify/websocket';
import { ClusterClient } from '@tickbook/cluster';
import { Ajv, type ErrorObject, type SchemaValidateFunction } from 'ajv';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import {
  type Book,
  type BookConfig,
  type Command,
  createBook,
  ERROR_CODES,
  type ErrorCode,
} from 'tickbook';
import { ClusterMarket } from './cluster-market';
import {
  type AccountConfig,
  type GatewayConfig,
  type InstrumentConfig,
  resolveGatewayConfig,
} from './config';
import { clientIdOf, toEngineId } from './ids';
import { journalFiles, openJournal } from './journal';
import { RequestLimits } from './limits';
import { Market, MarketUnavailableError, type OrderMarket } from './market';
import { createMetrics, type GatewayMetrics, type HistogramChild } from './metrics';
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
import { StreamHub } from './streams';
import { ownEvents, summarize } from './views';

declare module 'fastify' {
  interface FastifyRequest {
    /** Account of the API key (set by the auth hook on /v1 routes). */
    owner: number;
  }
}

export interface Gateway {
  app: FastifyInstance;
  config: GatewayConfig;
  markets: Map<string, OrderMarket>;
  metrics: GatewayMetrics;
  /** Per symbol: journal records replayed at start-up (journal on). */
  recovered: Map<string, number>;
  /** What `GET /ready` answers (200 only when `status` is `ready`). */
  readiness(): Readiness;
}

/**
 * Whether the gateway takes orders: `starting` until the app is ready,
 * `ready`, `stopping` from the start of a graceful stop, `failed` once a
 * symbol stopped taking writes (a failed journal write, sync or checkpoint,
 * or an engine failure; a restart recovers).
 */
export type Readiness =
  | { status: 'starting' | 'ready' | 'stopping' }
  | { status: 'failed'; failed: { symbol: string; error: string }[] };

/** A URL with the value of its `key` query parameter (an API key) replaced. */
export function redactKey(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/g, '$1[redacted]');
}

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

/** Clear one-line messages for schema errors (names the bad field and what is allowed). */
function formatSchemaErrors(errors: ErrorObject[], dataVar: string): Error {
  const parts: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue; // the branch's own error says it better
    const path = `${dataVar}${e.instancePath}`;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        parts.push(`${path} has unknown property '${String(p.additionalProperty)}'`);
        break;
      case 'notAllowed':
        parts.push(`${path} is not allowed here (${e.message})`);
        break;
      case 'enum':
        parts.push(`${path} must be one of ${(p.allowedValues as unknown[]).join(', ')}`);
        break;
      default:
        parts.push(`${path} ${e.message}`);
    }
  }
  return new Error(parts.join('; '));
}

/** Where journal problems are logged; the app's logger once it exists. */
interface JournalLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

function openMarket(
  inst: InstrumentConfig,
  config: GatewayConfig,
  metrics: GatewayMetrics,
  recovered: Map<string, number>,
  clock: () => number,
  log: () => JournalLog,
): Market {
  const bookConfig: BookConfig = {
    minPrice: inst.minPrice,
    maxPrice: inst.maxPrice,
    capacity: inst.capacity,
    engine: config.engine,
  };
  if (inst.stpMode) bookConfig.stpMode = inst.stpMode;
  const options = { batchWindowMs: config.batchWindowMs, batching: config.batching, clock };
  if (!config.journal) return new Market(inst.symbol, createBook(bookConfig), metrics, options);

  mkdirSync(config.dataDir, { recursive: true });
  const files = journalFiles(config.dataDir, inst.symbol);
  const recoveryStart = performance.now();
  const { book, sink, replayed, tornAt } = openJournal(
    files,
    bookConfig,
    config.engine,
    config.fsync,
  );
  if (tornAt !== undefined) {
    // a crash mid-write: the last record was never acknowledged, so nothing is lost
    log().warn(
      { symbol: inst.symbol, file: files.journalPath, offset: tornAt },
      'dropped a torn last journal record (a crash mid-write); the journal is cut there',
    );
  }
  const c = book.config;
  if (
    c.minPrice !== inst.minPrice ||
    c.maxPrice !== inst.maxPrice ||
    c.capacity !== inst.capacity ||
    c.stpMode !== (inst.stpMode ?? 'cancel-newest')
  ) {
    sink.close();
    throw new Error(
      `${files.journalPath} was written for a different ${inst.symbol} book ` +
        `(band ${c.minPrice}..${c.maxPrice}, capacity ${c.capacity}, stp ${c.stpMode}); ` +
        'move it (and its .snapshot) away or restore the old instrument config',
    );
  }
  recovered.set(inst.symbol, replayed);
  const recoverySeconds = (performance.now() - recoveryStart) / 1000;
  const labels = { symbol: inst.symbol };
  metrics.recoveryDuration.labels(labels).read = () => recoverySeconds;
  metrics.recoveredRecords.labels(labels).read = () => replayed;
  return new Market(inst.symbol, book as Book, metrics, {
    ...options,
    close: () => sink.close(),
    onFailure: (error) =>
      log().error(
        { symbol: inst.symbol, file: files.journalPath, offset: sink.size, err: error.message },
        'journal write or checkpoint failed: the symbol takes no more writes',
      ),
    durable: config.fsync === 'batch' ? sink : undefined,
    checkpoint: () => book.checkpoint(),
    checkpointEveryCommands: config.checkpointEveryCommands,
    checkpointEveryBytes: config.checkpointEveryBytes,
    checkpointEveryMs: config.checkpointEveryMs,
    journalBytes: () => sink.size,
    journaledSinceCheckpoint: replayed,
  });
}

function refuse(reply: FastifyReply, code: ErrorCode, id?: number) {
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

/** Options of {@link buildGateway} that are not configuration (code, not JSON). */
export interface GatewayOptions {
  /**
   * The gateway's clock, epoch milliseconds: the books' time for good-till-date
   * orders (`expiresAt`). @defaultValue `Date.now`
   */
  clock?: () => number;
  /** Where log lines go (JSON, one a line). @defaultValue standard output */
  logStream?: { write(line: string): void };
}

/**
 * Build the gateway (not listening yet: call `app.listen`, or `app.inject` in tests).
 * Opens (and recovers) one journal per instrument when the journal is on.
 */
export async function buildGateway(
  input: Partial<GatewayConfig> | GatewayConfig = {},
  options: GatewayOptions = {},
): Promise<Gateway> {
  const config = resolveGatewayConfig(input);
  const metrics = createMetrics();
  const recovered = new Map<string, number>();
  const markets = new Map<string, OrderMarket>();
  // Journal problems found while opening the books are logged once the app's logger exists.
  const early: ['warn' | 'error', object, string][] = [];
  let appLog: JournalLog | undefined;
  const logOf = (): JournalLog =>
    appLog ?? {
      warn: (obj, msg) => early.push(['warn', obj, msg]),
      error: (obj, msg) => early.push(['error', obj, msg]),
    };
  const clock = options.clock ?? Date.now;
  let cluster: ClusterClient | undefined;
  try {
    if (config.cluster) {
      // Cluster mode: the cluster's books are the instruments; no local journal.
      cluster = await ClusterClient.connect(config.cluster, 'tickbook-gateway');
      for (const [symbol, book] of Object.entries(config.cluster.books)) {
        markets.set(symbol, await ClusterMarket.open(symbol, book, cluster, metrics, clock));
      }
    } else {
      for (const inst of config.instruments) {
        markets.set(inst.symbol, openMarket(inst, config, metrics, recovered, clock, logOf));
      }
    }
  } catch (e) {
    for (const m of markets.values()) m.close();
    await cluster?.close();
    throw e;
  }
  const accounts = new Map<string, AccountConfig>(config.accounts.map((a) => [a.key, a]));

  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            // the stream takes its API key as ?key= (browsers cannot set headers): never log it
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: redactKey(req.url),
              }),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    // Fastify's two info lines per request (incoming, completed) are replaced by
    // one line per answer (onResponse below): a client error is one info line
    // without a stack, a success a debug line; server errors log their error.
    logController: new LogController({ disableRequestLogging: true }),
    // on close, keep-alive connections with no request in flight close at once
    forceCloseConnections: 'idle',
    schemaErrorFormatter: formatSchemaErrors as never,
  });
  appLog = app.log;
  for (const [level, obj, msg] of early) app.log[level](obj, msg);

  // Clients often send `content-type: application/json` with no body on
  // DELETE and GET: an empty JSON body counts as no body (routes that need one
  // still refuse it through their schema). Anything else goes to Fastify's own
  // parser, prototype-poisoning protection included.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // Bodies are JSON only: Fastify's own text/plain parser would hand a string to
  // the schema (400) where an unsupported media type is meant (415).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(req, body as string, done);
  });

  // Bodies are validated strictly (no coercion, unknown fields refused); path
  // and query strings are text, so they are coerced ("42" → 42).
  const bodyAjv = new Ajv({
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    allErrors: false,
    strict: false,
  });
  const textAjv = new Ajv({
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  // `notAllowed: why` (schemas.ts): the field must not be present on this kind of order.
  const notAllowed: SchemaValidateFunction = (why: string) => {
    notAllowed.errors = [{ keyword: 'notAllowed', message: why, params: {} }];
    return false;
  };
  bodyAjv.addKeyword({
    keyword: 'notAllowed',
    schemaType: 'string',
    errors: true,
    validate: notAllowed,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object),
  );

  const httpError = (code: string) => metrics.httpErrors.labels({ code });
  app.setErrorHandler(
    (err: Error & { validation?: unknown; code?: string; statusCode?: number }, req, reply) => {
      let status = 500;
      let code = 'INTERNAL';
      let message = 'internal error';
      if (err.validation) {
        status = 400;
        code = 'VALIDATION_ERROR';
        message = err.message;
      } else if (err instanceof MarketUnavailableError) {
        status = 503;
        code = 'UNAVAILABLE';
        message = err.message;
      } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        code = 'BODY_TOO_LARGE';
        message = `request body is larger than ${config.bodyLimitBytes} bytes`;
      } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        status = 415;
        code = 'UNSUPPORTED_MEDIA_TYPE';
        message = 'send JSON with content-type: application/json';
      } else if (
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
        err instanceof SyntaxError
      ) {
        status = 400;
        code = 'INVALID_JSON';
        message = `body is not valid JSON: ${err.message}`;
      } else if (
        typeof err.statusCode === 'number' &&
        err.statusCode >= 400 &&
        err.statusCode < 500
      ) {
        status = err.statusCode;
        code = err.code ?? 'BAD_REQUEST';
        message = err.message;
      } else {
        // a server error: the one place a stack helps
        req.log.error({ err }, 'request failed');
      }
      httpError(code).inc();
      return reply.code(status).send({ statusCode: status, code, message });
    },
  );
  app.setNotFoundHandler((req, reply) => {
    httpError('NOT_FOUND').inc();
    return reply
      .code(404)
      .send({ statusCode: 404, code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` });
  });

  // Latency of every request, by route; and one log line per answer: a client
  // error (4xx) at info level, the rest at debug (a server error has already
  // logged its error, with its stack, in the error handler).
  const routeHist = new Map<string, HistogramChild>();
  const logsDebug = config.logLevel === 'debug' || config.logLevel === 'trace';
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    let h = routeHist.get(route);
    if (!h) {
      h = metrics.requestDuration.labels({ route });
      routeHist.set(route, h);
    }
    const ms = reply.elapsedTime;
    h.observe(ms / 1000);
    const status = reply.statusCode;
    const clientError = status >= 400 && status < 500;
    if (clientError || logsDebug) {
      req.log[clientError ? 'info' : 'debug'](
        {
          req: { method: req.method, url: redactKey(req.url) },
          statusCode: status,
          responseTime: Math.round(ms * 1000) / 1000,
        },
        clientError ? 'request refused' : 'request completed',
      );
    }
    done();
  });

  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Stopping: stream clients are told the server is going away (1001), then
    // the books flush, sync and checkpoint (onClose below).
    preClose: () => hub.closeAll(1001, 'gateway stopping'),
  });
  const hub = new StreamHub(markets, config.wsMaxBufferedBytes, metrics);
  const requestLimits = new RequestLimits(config.maxRequestsPerSecond);

  app.get('/health', async (_req, reply) => {
    const failed = [...markets.values()].filter((m) => m.failure);
    reply.code(failed.length ? 503 : 200);
    return {
      status: failed.length ? 'failed' : 'ok',
      engine: config.engine,
      journal: config.journal,
      uptimeSeconds: Math.round(process.uptime()),
      symbols: [...markets.values()].map((m) => ({
        symbol: m.symbol,
        engine: m.book.engine,
        resting: m.book.size,
        l2Seq: m.l2Seq,
        time: m.book.time,
        ...(m.failure ? { error: m.failure.message } : {}),
      })),
    };
  });

  // Readiness, apart from liveness: whether this process takes orders now.
  // Journals are recovered before the app exists (and before it listens), so a
  // recovering gateway has no port open yet; `starting` covers the time until
  // the app is ready, `stopping` a graceful stop from its first moment.
  let phase: 'starting' | 'ready' | 'stopping' = 'starting';
  app.addHook('onReady', async () => {
    if (phase === 'starting') phase = 'ready';
  });
  app.addHook('preClose', async () => {
    phase = 'stopping';
  });
  const readiness = (): Readiness => {
    const failed = [...markets.values()]
      .filter((m) => m.failure)
      .map((m) => ({ symbol: m.symbol, error: m.failure?.message ?? '' }));
    return failed.length > 0 ? { status: 'failed', failed } : { status: phase };
  };
  app.get('/ready', async (_req, reply) => {
    const r = readiness();
    reply.code(r.status === 'ready' ? 200 : 503);
    return r;
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  // Everything under /v1 needs an API key; it names the account (owner).
  await app.register(
    async (v1) => {
      v1.decorateRequest('owner', 0);
      v1.addHook('onRequest', (req, reply, done) => {
        let key = req.headers['x-api-key'];
        // Browsers cannot set headers on a WebSocket: the stream also takes ?key=.
        if (key === undefined && req.routeOptions.url === '/v1/stream') {
          key = (req.query as { key?: string }).key;
        }
        const account = typeof key === 'string' ? accounts.get(key) : undefined;
        if (!account) {
          httpError('UNAUTHORIZED').inc();
          reply.code(401).send({
            statusCode: 401,
            code: 'UNAUTHORIZED',
            message: 'missing or unknown API key (x-api-key header)',
          });
          return;
        }
        req.owner = account.owner;
        const wait = requestLimits.take(account.owner);
        if (wait > 0) {
          httpError('RATE_LIMITED').inc();
          reply
            .code(429)
            .header('retry-after', String(Math.max(1, Math.ceil(wait))))
            .send({
              statusCode: 429,
              code: 'RATE_LIMITED',
              message: `more than ${config.maxRequestsPerSecond} requests per second for this account`,
            });
          return;
        }
        const maxWs = config.maxWsConnectionsPerAccount;
        if (
          maxWs > 0 &&
          req.routeOptions.url === '/v1/stream' &&
          hub.connectionsOf(account.owner) >= maxWs
        ) {
          httpError('TOO_MANY_CONNECTIONS').inc();
          reply.code(429).send({
            statusCode: 429,
            code: 'TOO_MANY_CONNECTIONS',
            message: `this account already has ${maxWs} WebSocket connections open`,
          });
          return;
        }
        done();
      });

      // An order id in a path is a canonical decimal integer: `0x3E9`, `1.001e3`,
      // `01001` or ` 1001` would otherwise coerce to 1001 and name that order.
      v1.addHook('preValidation', (req, reply, done) => {
        const id = (req.params as { id?: unknown }).id;
        if (typeof id === 'string' && !/^[1-9][0-9]*$/.test(id)) {
          httpError('VALIDATION_ERROR').inc();
          reply.code(400).send({
            statusCode: 400,
            code: 'VALIDATION_ERROR',
            message:
              'params/id must be a decimal integer (digits only, no sign, leading zero or exponent)',
          });
          return;
        }
        done();
      });

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

      v1.get('/stream', { websocket: true }, (socket, req) => {
        hub.attach(socket, req.owner);
      });
    },
    { prefix: '/v1' },
  );

  app.addHook('onClose', async () => {
    for (const m of markets.values()) m.close();
    await cluster?.close();
  });

  return { app, config, markets, metrics, recovered, readiness };
}
