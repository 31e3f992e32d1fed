/**
 * Who is asking: every /v1 request names its account by API key (the
 * `x-api-key` header, or `?key=` on the WebSocket stream), and is held to the
 * account's request rate and WebSocket connection limits; an order id in a
 * path must be a canonical decimal integer.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountConfig, GatewayConfig } from './config';
import { RequestLimits } from './limits';
import type { GatewayMetrics } from './metrics';
import type { StreamHub } from './streams';

declare module 'fastify' {
  interface FastifyRequest {
    /** Account of the API key (set by the auth hook on /v1 routes). */
    owner: number;
  }
}

/** Add authentication, the per-account limits and the path id check to the /v1 scope. */
export function addAuth(
  v1: FastifyInstance,
  config: GatewayConfig,
  hub: StreamHub,
  metrics: GatewayMetrics,
): void {
  const accounts = new Map<string, AccountConfig>(config.accounts.map((a) => [a.key, a]));
  const requestLimits = new RequestLimits(config.maxRequestsPerSecond);
  const httpError = (code: string) => metrics.httpErrors.labels({ code });
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
}
