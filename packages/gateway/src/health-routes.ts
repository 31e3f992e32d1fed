/**
 * Operations routes, no API key: `/health` (liveness), `/ready` (readiness)
 * and `/metrics` (Prometheus).
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config';
import type { OrderMarket } from './market';
import type { GatewayMetrics } from './metrics';

/**
 * Whether the gateway takes orders: `starting` until the app is ready,
 * `ready`, `stopping` from the start of a graceful stop, `failed` once a
 * symbol stopped taking writes (a failed journal write, sync or checkpoint,
 * or an engine failure; a restart recovers), `unavailable` while writes
 * cannot go through for now (cluster mode: NATS out of reach; it clears by
 * itself).
 */
export type Readiness =
  | { status: 'starting' | 'ready' | 'stopping' }
  | { status: 'failed'; failed: { symbol: string; error: string }[] }
  | { status: 'unavailable'; unavailable: { symbol: string; reason: string }[] };

/** Register the operations routes; returns what `/ready` answers. */
export function registerHealthRoutes(
  app: FastifyInstance,
  config: GatewayConfig,
  markets: ReadonlyMap<string, OrderMarket>,
  metrics: GatewayMetrics,
): () => Readiness {
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
    if (failed.length > 0) return { status: 'failed', failed };
    if (phase === 'ready') {
      const unavailable = [...markets.values()]
        .filter((m) => m.unavailable)
        .map((m) => ({ symbol: m.symbol, reason: m.unavailable ?? '' }));
      if (unavailable.length > 0) return { status: 'unavailable', unavailable };
    }
    return { status: phase };
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

  return readiness;
}
