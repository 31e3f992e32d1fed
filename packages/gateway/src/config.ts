/**
 * Gateway configuration: listening address, instruments, accounts, durability
 * and batching knobs. Read from a JSON file (validated with a JSON schema) or
 * taken from {@link DEFAULT_CONFIG}.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ClusterConfig, resolveClusterConfig } from '@tickbook/cluster';
import { Ajv } from 'ajv';
import type { EngineKind, FsyncPolicy, StpMode } from 'tickbook';
import { MAX_OWNER } from './ids';

export interface InstrumentConfig {
  /** Symbol, e.g. `BTC-USD`: letters, digits, `.`, `_`, `-` (it names the journal file). */
  symbol: string;
  /** Price band in ticks. */
  minPrice: number;
  maxPrice: number;
  /** Max resting orders. */
  capacity: number;
  /** Default self-trade prevention mode of the book. */
  stpMode?: StpMode;
}

export interface AccountConfig {
  /** Secret sent in the `x-api-key` header. */
  key: string;
  /** Account id used as the engine `owner` (self-trade prevention, order ownership). */
  owner: number;
  /** Label for humans. */
  name?: string;
}

export interface GatewayConfig {
  /** Listen address. @defaultValue `'127.0.0.1'` (loopback only) */
  host: string;
  /** Listen port; 0 picks a free one. @defaultValue 8080 */
  port: number;
  /** Matcher: `'wasm'` (WebAssembly, tickbook's default) or `'js'` (the reference). @defaultValue `'wasm'` */
  engine: EngineKind;
  /** Journal every applied command (one file per symbol in `dataDir`). @defaultValue true */
  journal: boolean;
  /** Folder of the journals. Relative paths resolve against the config file's folder (or the cwd). */
  dataDir: string;
  /** When the journal is forced to disk (see tickbook's `FsyncPolicy`). @defaultValue `'batch'` */
  fsync: FsyncPolicy;
  /**
   * Checkpoint a symbol's journal after this many journalled commands: write
   * `<symbol>.snapshot` and start a fresh journal after it, so a restart
   * replays at most about this many commands. Also on a graceful stop. 0: never.
   * @defaultValue 10,000,000
   */
  checkpointEveryCommands: number;
  /**
   * Checkpoint a symbol's journal once it holds this many bytes, so a restart
   * after a crash replays a bounded journal whatever the command mix. 0: never.
   * @defaultValue 64 MiB
   */
  checkpointEveryBytes: number;
  /**
   * Checkpoint a symbol's journal once this many milliseconds passed since its
   * last checkpoint (when anything was journalled since). 0: never.
   * @defaultValue 60,000
   */
  checkpointEveryMs: number;
  /**
   * Adaptive batching window. 0 (default): commands that arrive in the same
   * event-loop turn are applied together, with no added wait. > 0: while the
   * gateway is busy (the previous flush held more than one request), wait up
   * to this many milliseconds to gather more; an idle gateway never waits.
   */
  batchWindowMs: number;
  /**
   * Adaptive batching on (default). Off: every request is applied (and
   * journalled) on its own, as it arrives; for comparison in the load test.
   */
  batching: boolean;
  /** Most orders in one batch request. @defaultValue 1000 */
  maxBatchOrders: number;
  /** Largest request body in bytes. @defaultValue 1 MiB */
  bodyLimitBytes: number;
  /** A WebSocket client whose unsent data passes this many bytes is disconnected. @defaultValue 16 MiB */
  wsMaxBufferedBytes: number;
  /**
   * Requests per second one account may make (a token bucket holding a
   * second's worth, so bursts up to that pass); past it, `429` with
   * `Retry-After`. 0: no limit. @defaultValue 5,000
   */
  maxRequestsPerSecond: number;
  /** Open WebSocket connections one account may hold; past it, `429`. 0: no limit. @defaultValue 20 */
  maxWsConnectionsPerAccount: number;
  /**
   * Orders one account may hold in one symbol's book (resting limit orders
   * and waiting stops). A new order that could rest (a GTC limit or a stop)
   * from an account holding this many is refused with `409 TOO_MANY_ORDERS`
   * before it reaches the book. 0: no limit. @defaultValue 100,000
   */
  maxRestingOrdersPerSymbol: number;
  /**
   * On SIGTERM/SIGINT: how long requests in flight may take to finish before
   * their connections are closed anyway (idle keep-alive connections close at
   * once). @defaultValue 10,000
   */
  shutdownDeadlineMs: number;
  /** Fastify (pino) log level; `'silent'` turns logging off. @defaultValue `'warn'` */
  logLevel: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  instruments: InstrumentConfig[];
  accounts: AccountConfig[];
  /**
   * Cluster mode: serve the books of a tickbook cluster (NATS JetStream)
   * instead of local ones. In the config file, the path of the cluster's
   * `cluster.json` (the file its matchers use), relative to the config file;
   * its books replace `instruments`, and `journal` is not used (the command
   * stream is the journal).
   */
  cluster?: ClusterConfig;
}

/**
 * Defaults: loopback, WebAssembly engine, journal on in `./data`, two instruments and
 * two **development** accounts. Replace the keys before exposing the gateway.
 */
export const DEFAULT_CONFIG: GatewayConfig = {
  host: '127.0.0.1',
  port: 8080,
  engine: 'wasm',
  journal: true,
  dataDir: './data',
  fsync: 'batch',
  checkpointEveryCommands: 10_000_000,
  checkpointEveryBytes: 64 * 1024 * 1024,
  checkpointEveryMs: 60_000,
  batchWindowMs: 0,
  batching: true,
  maxBatchOrders: 1000,
  bodyLimitBytes: 1024 * 1024,
  wsMaxBufferedBytes: 16 * 1024 * 1024,
  maxRequestsPerSecond: 5000,
  maxWsConnectionsPerAccount: 20,
  maxRestingOrdersPerSymbol: 100_000,
  shutdownDeadlineMs: 10_000,
  logLevel: 'warn',
  instruments: [
    { symbol: 'BTC-USD', minPrice: 1, maxPrice: 10_000_000, capacity: 1_000_000 },
    { symbol: 'ETH-USD', minPrice: 1, maxPrice: 1_000_000, capacity: 1_000_000 },
  ],
  accounts: [
    { name: 'alice', key: 'dev-key-alice', owner: 1 },
    { name: 'bob', key: 'dev-key-bob', owner: 2 },
  ],
};

const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    engine: { enum: ['js', 'wasm'] },
    journal: { type: 'boolean' },
    dataDir: { type: 'string', minLength: 1 },
    fsync: { enum: ['batch', 'interval', 'never'] },
    checkpointEveryCommands: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    checkpointEveryBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    checkpointEveryMs: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    batchWindowMs: { type: 'number', minimum: 0, maximum: 1000 },
    batching: { type: 'boolean' },
    maxBatchOrders: { type: 'integer', minimum: 1, maximum: 100_000 },
    bodyLimitBytes: { type: 'integer', minimum: 1024 },
    wsMaxBufferedBytes: { type: 'integer', minimum: 1024 },
    maxRequestsPerSecond: { type: 'integer', minimum: 0 },
    maxWsConnectionsPerAccount: { type: 'integer', minimum: 0 },
    maxRestingOrdersPerSymbol: { type: 'integer', minimum: 0 },
    shutdownDeadlineMs: { type: 'integer', minimum: 0 },
    logLevel: { enum: ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] },
    instruments: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['symbol', 'minPrice', 'maxPrice', 'capacity'],
        properties: {
          symbol: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' },
          minPrice: { type: 'integer', minimum: 1 },
          maxPrice: { type: 'integer', minimum: 1 },
          capacity: { type: 'integer', minimum: 1 },
          stpMode: {
            enum: ['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'],
          },
        },
      },
    },
    cluster: {
      oneOf: [{ type: 'string', minLength: 1 }, { type: 'object' }],
    },
    accounts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'owner'],
        properties: {
          key: { type: 'string', minLength: 8 },
          owner: { type: 'integer', minimum: 1, maximum: MAX_OWNER },
          name: { type: 'string' },
        },
      },
    },
  },
} as const;

const validateConfig = new Ajv({ allErrors: true }).compile(configSchema);

/**
 * Fill defaults and check a configuration.
 * @param base - folder that a relative `dataDir` resolves against.
 * @throws Error naming every problem.
 */
export function resolveGatewayConfig(
  input: Partial<GatewayConfig> = {},
  base = process.cwd(),
): GatewayConfig {
  if (!validateConfig(input)) {
    const problems = (validateConfig.errors ?? [])
      .map((e) => `${e.instancePath || '(root)'} ${e.message}`)
      .join('; ');
    throw new Error(`invalid gateway config: ${problems}`);
  }
  const raw = input as Partial<GatewayConfig> & { cluster?: ClusterConfig | string };
  const config: GatewayConfig = { ...DEFAULT_CONFIG, ...input, cluster: undefined };
  config.dataDir = resolve(base, config.dataDir);
  if (raw.cluster !== undefined) {
    const cluster: ClusterConfig =
      typeof raw.cluster === 'string'
        ? (JSON.parse(readFileSync(resolve(base, raw.cluster), 'utf8')) as ClusterConfig)
        : raw.cluster;
    try {
      resolveClusterConfig(cluster);
    } catch (e) {
      throw new Error(`invalid gateway config: cluster: ${(e as Error).message}`);
    }
    config.cluster = cluster;
    config.instruments = Object.entries(cluster.books).map(([symbol, b]) => ({
      symbol,
      minPrice: b.minPrice,
      maxPrice: b.maxPrice,
      capacity: b.capacity ?? 1,
      ...(b.stpMode ? { stpMode: b.stpMode } : {}),
    }));
  }
  const symbols = new Set<string>();
  for (const i of config.instruments) {
    if (symbols.has(i.symbol))
      throw new Error(`invalid gateway config: duplicate symbol ${i.symbol}`);
    symbols.add(i.symbol);
  }
  const keys = new Set<string>();
  for (const a of config.accounts) {
    if (keys.has(a.key)) throw new Error('invalid gateway config: duplicate API key');
    keys.add(a.key);
  }
  return config;
}

/** Read a JSON config file; relative paths in it resolve against its folder. */
export function loadGatewayConfig(path: string): GatewayConfig {
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid gateway config ${path}: ${(e as Error).message}`);
  }
  return resolveGatewayConfig(parsed as Partial<GatewayConfig>, dirname(resolve(path)));
}
