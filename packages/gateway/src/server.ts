/**
 * The gateway: a Fastify app serving tickbook books over HTTP + WebSocket.
 * Its parts: opening the markets (open-markets.ts), the app with logging,
 * validation and error answers (http-app.ts), operations routes
 * (health-routes.ts), authentication and limits (auth.ts), and the order
 * routes (order-routes.ts).
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { addAuth } from './auth';
import { type GatewayConfig, resolveGatewayConfig } from './config';
import { type Readiness, registerHealthRoutes } from './health-routes';
import { createApp } from './http-app';
import type { OrderMarket } from './market';
import { createMetrics, type GatewayMetrics } from './metrics';
import { type JournalLog, openMarkets } from './open-markets';
import { registerOrderRoutes } from './order-routes';
import { StreamHub } from './streams';

export type { Readiness } from './health-routes';
export { redactKey } from './http-app';
export { statusOf } from './order-routes';

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
  // Journal problems found while opening the books are logged once the app's logger exists.
  const early: ['warn' | 'error', object, string][] = [];
  let appLog: JournalLog | undefined;
  const logOf = (): JournalLog =>
    appLog ?? {
      warn: (obj, msg) => early.push(['warn', obj, msg]),
      error: (obj, msg) => early.push(['error', obj, msg]),
    };
  const clock = options.clock ?? Date.now;
  const { markets, recovered, cluster } = await openMarkets(config, metrics, clock, logOf);

  const app = createApp(config, metrics, options.logStream);
  appLog = app.log;
  for (const [level, obj, msg] of early) app.log[level](obj, msg);

  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Stopping: stream clients are told the server is going away (1001), then
    // the books flush, sync and checkpoint (onClose below).
    preClose: () => hub.closeAll(1001, 'gateway stopping'),
  });
  const hub = new StreamHub(markets, config.wsMaxBufferedBytes, metrics);
  const readiness = registerHealthRoutes(app, config, markets, metrics);

  // Everything under /v1 needs an API key; it names the account (owner).
  await app.register(
    async (v1) => {
      addAuth(v1, config, hub, metrics);
      registerOrderRoutes(v1, config, markets, metrics);
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
