#!/usr/bin/env node
/**
 * Gateway load test: autocannon against a gateway child process on 127.0.0.1.
 *
 *   node dist/loadtest.js [--duration S] [--connections N] [--scenarios a,b]
 *                         [--engine js|wasm] [--fsync batch|interval|never]
 *                         [--out DIR] [--profile] [--quick]
 *
 * Scenarios (each on a fresh gateway with a fresh journal, journal on):
 * - `single`: one order per request (adaptive batching on, the default);
 * - `single-unbatched`: the same with adaptive batching off (one engine call
 *   and one journal fsync per request) to show what batching buys;
 * - `single-slow-clients`: `single` while 20 WebSocket subscribers never
 *   read (the gateway must cut them off without stalling the others);
 * - `batch100`: 100 orders per request.
 * Prints a table beside the old API's 946 orders/sec and writes JSON to
 * bench-results/gateway-<time>.json. Reports, never asserts. `--quick`: 2 s
 * per scenario; `--profile`: a CPU profile of each gateway next to the JSON.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scriptOptions } from './args';
import { ACCOUNTS, neverReadingSubscriber, orderFlow, SYMBOL, spawnGateway } from './load-common';

/** The order API tickbook replaces (a remote engine behind gRPC) topped out here. */
const OLD_API_ORDERS_PER_SEC = 946;
const TARGETS = { single: 15_000, batch: 200_000 };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

interface Scenario {
  name: string;
  ordersPerRequest: number;
  gatewayArgs: string[];
  what: string;
  /** WebSocket subscribers that never read, connected before the load. */
  slowClients?: number;
}

const SCENARIOS: Record<string, Scenario> = {
  single: {
    name: 'single',
    ordersPerRequest: 1,
    gatewayArgs: [],
    what: 'POST /v1/orders, one order per request, adaptive batching on',
  },
  'single-unbatched': {
    name: 'single-unbatched',
    ordersPerRequest: 1,
    gatewayArgs: ['--no-batching'],
    what: 'POST /v1/orders, one order per request, adaptive batching off',
  },
  'single-slow-clients': {
    name: 'single-slow-clients',
    ordersPerRequest: 1,
    gatewayArgs: [],
    what: 'as single, with 20 WebSocket subscribers (L2 + trades) that never read',
    slowClients: 20,
  },
  batch100: {
    name: 'batch100',
    ordersPerRequest: 100,
    gatewayArgs: [],
    what: 'POST /v1/orders/batch, 100 orders per request',
  },
};

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)] * 100) / 100;
}

async function startGateway(
  scenario: Scenario,
  opts: { engine: string; fsync: string; profileDir?: string },
): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tickbook-gw-load-'));
  const config = {
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'data'),
    engine: opts.engine,
    fsync: opts.fsync,
    logLevel: 'error',
    // the load test measures the gateway's throughput, not the per-account rate
    // limit; and as before, its 5 s runs stay under one checkpoint interval (the
    // 64 MiB default would checkpoint a batch run once: a pause of a few tenths
    // of a second in five seconds)
    maxRequestsPerSecond: 0,
    // the per-account order limit stays on (its bookkeeping is measured) but
    // never refuses: no account can hold more than the book's capacity
    maxRestingOrdersPerSymbol: 4_000_000,
    checkpointEveryBytes: 0,
    instruments: [{ symbol: SYMBOL, minPrice: 1, maxPrice: 1_000_000, capacity: 4_000_000 }],
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
      key: `load-key-${i + 1}`,
      owner: i + 1,
    })),
  };
  const configPath = join(dir, 'gateway.json');
  writeFileSync(configPath, JSON.stringify(config));
  const nodeArgs = opts.profileDir
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        opts.profileDir,
        '--cpu-prof-name',
        `gateway-${scenario.name}.cpuprofile`,
      ]
    : [];
  const { child, url } = await spawnGateway(configPath, nodeArgs, scenario.gatewayArgs);
  return { child, url, dir };
}

async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await exited;
}

async function scrape(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const pick = (name: string) => {
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(name)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  };
  return {
    orders: pick(`tickbook_gateway_orders_total{symbol="${SYMBOL}"}`),
    trades: pick(`tickbook_gateway_trades_total{symbol="${SYMBOL}"}`),
    rejects: pick('tickbook_gateway_rejects_total'),
    engineCalls: pick(`tickbook_gateway_batch_commands_count{symbol="${SYMBOL}"}`),
    engineCommands: pick(`tickbook_gateway_batch_commands_sum{symbol="${SYMBOL}"}`),
    applySeconds: pick(`tickbook_gateway_apply_duration_seconds_sum{symbol="${SYMBOL}"}`),
    syncs: pick(`tickbook_gateway_journal_sync_duration_seconds_count{symbol="${SYMBOL}"}`),
    syncSeconds: pick(`tickbook_gateway_journal_sync_duration_seconds_sum{symbol="${SYMBOL}"}`),
  };
}

function fire(
  url: string,
  scenario: Scenario,
  connections: number,
  duration: number,
): Promise<{ result: autocannon.Result; latencies: Float64Array }> {
  const next = orderFlow();
  let n = 0;
  const keys = Array.from({ length: ACCOUNTS }, (_, i) => `load-key-${i + 1}`);
  const path = scenario.ordersPerRequest === 1 ? '/v1/orders' : '/v1/orders/batch';
  const latencies: number[] = [];
  return new Promise((ok, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path,
            setupRequest: (req) => {
              const account = n++ % ACCOUNTS;
              req.headers = { 'content-type': 'application/json', 'x-api-key': keys[account] };
              if (scenario.ordersPerRequest === 1) {
                req.body = JSON.stringify({ symbol: SYMBOL, ...next(account) });
              } else {
                const orders = new Array(scenario.ordersPerRequest);
                for (let i = 0; i < orders.length; i++) orders[i] = next(account);
                req.body = JSON.stringify({ symbol: SYMBOL, orders });
              }
              return req;
            },
          },
        ],
      },
      (err, result) => {
        if (err) fail(err);
        else ok({ result, latencies: Float64Array.from(latencies).sort() });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

async function main(): Promise<void> {
  const { values } = scriptOptions({
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    scenarios: {
      type: 'string',
      default: 'single,single-slow-clients,single-unbatched,batch100',
    },
    engine: { type: 'string', default: 'wasm' },
    fsync: { type: 'string', default: 'batch' },
    out: { type: 'string', default: join(repoRoot, 'bench-results') },
    profile: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  });
  const duration = values.quick ? 2 : Number(values.duration);
  const connections = Number(values.connections);
  const names = values.scenarios.split(',').filter(Boolean);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}`);
  mkdirSync(values.out, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const profileDir = values.profile ? values.out : undefined;

  const rows = [];
  for (const name of names) {
    const scenario = SCENARIOS[name];
    process.stderr.write(
      `${name}: ${scenario.what}, ${connections} connections, ${duration}s ...\n`,
    );
    const gw = await startGateway(scenario, {
      engine: values.engine,
      fsync: values.fsync,
      profileDir,
    });
    const slow = await Promise.all(
      Array.from({ length: scenario.slowClients ?? 0 }, (_, i) =>
        neverReadingSubscriber(
          Number(new URL(gw.url).port),
          `load-key-${(i % ACCOUNTS) + 1}`,
          SYMBOL,
        ),
      ),
    );
    try {
      const cpu0 = cpuSeconds(gw.child.pid);
      const { result, latencies } = await fire(gw.url, scenario, connections, duration);
      const cpu1 = cpuSeconds(gw.child.pid);
      const m = await scrape(gw.url);
      const gatewayCpu = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
      const ok = result.requests.total - result.non2xx;
      const seconds = result.duration;
      const ordersPerSec = Math.round((ok * scenario.ordersPerRequest) / seconds);
      rows.push({
        scenario: name,
        what: scenario.what,
        ordersPerRequest: scenario.ordersPerRequest,
        connections,
        seconds,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        requestsPerSec: Math.round(ok / seconds),
        ordersPerSec,
        // Gateway process CPU (user + system) during the run, and orders per
        // CPU-second: what one fully busy core would do, load generator aside.
        gatewayCpuSeconds: gatewayCpu === undefined ? null : Math.round(gatewayCpu * 100) / 100,
        gatewayBusy:
          gatewayCpu === undefined ? null : Math.round((gatewayCpu / seconds) * 100) / 100,
        ordersPerGatewayCpuSecond: gatewayCpu
          ? Math.round((ok * scenario.ordersPerRequest) / gatewayCpu)
          : null,
        vsOldApi: Math.round((ordersPerSec / OLD_API_ORDERS_PER_SEC) * 10) / 10,
        latencyMs: {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies.length ? Math.round(latencies[latencies.length - 1] * 100) / 100 : 0,
        },
        engine: {
          ordersAccepted: m.orders,
          trades: m.trades,
          rejects: m.rejects,
          calls: m.engineCalls,
          meanCommandsPerCall: m.engineCalls
            ? Math.round((m.engineCommands / m.engineCalls) * 10) / 10
            : 0,
          applySecondsTotal: Math.round(m.applySeconds * 1000) / 1000,
          // Group-commit syncs (fsync batch); 0 with batching off (synchronous syncs) or other policies.
          syncs: m.syncs,
          meanCommandsPerSync: m.syncs ? Math.round((m.engineCommands / m.syncs) * 10) / 10 : 0,
          syncSecondsTotal: Math.round(m.syncSeconds * 1000) / 1000,
        },
      });
    } finally {
      for (const socket of slow) socket.destroy();
      await stopGateway(gw.child);
      rmSync(gw.dir, { recursive: true, force: true });
    }
  }

  const report = {
    kind: 'gateway-load',
    time: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      platform: process.platform,
    },
    settings: { engine: values.engine, fsync: values.fsync, journal: true, duration, connections },
    oldApiOrdersPerSec: OLD_API_ORDERS_PER_SEC,
    targets: TARGETS,
    scenarios: rows,
  };
  const outFile = join(values.out, `gateway-${stamp}.json`);
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

  const lines = [
    '| scenario | orders/req | orders/sec | vs old API (946/s) | p50 ms | p95 ms | p99 ms | non-2xx | orders per engine call | orders per fsync | gateway CPU busy | orders per gateway CPU-second |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| old API (remote engine over gRPC) | – | ${OLD_API_ORDERS_PER_SEC} | 1× | – | – | – | – | – | – | – | – |`,
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.ordersPerRequest} | ${r.ordersPerSec.toLocaleString('en-US')} | ${r.vsOldApi}× | ` +
        `${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.non2xx} | ${r.engine.meanCommandsPerCall} | ${values.fsync !== 'batch' ? '–' : r.engine.meanCommandsPerSync || r.engine.meanCommandsPerCall} | ` +
        `${r.gatewayBusy === null ? '–' : `${Math.round(r.gatewayBusy * 100)} %`} | ${r.ordersPerGatewayCpuSecond?.toLocaleString('en-US') ?? '–'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n\nwrote ${outFile}\n`);
}

main().catch((e) => {
  process.stderr.write(`loadtest: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
