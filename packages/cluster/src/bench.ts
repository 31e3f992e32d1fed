/**
 * npm run bench:cluster — end to end through a real cluster on this machine:
 * HTTP → gateway process → JetStream (command stream) → matcher process →
 * event stream → answer, and → sink process → PostgreSQL written. Orders/sec and latency percentiles
 * for replicas 1 and 3, one and two shards, single-order and batched
 * messages; the failover time when a leading matcher is SIGKILLed.
 *
 *   npm run bench:cluster [-- --seconds 8] [-- --quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Command } from 'tickbook';
import { ClusterClient } from './client';
import type { ClusterConfig } from './config';
import { startNatsCluster } from './services/nats-server';
import { startPostgres } from './services/postgres-server';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } },
});
const SECONDS = Number(values.seconds ?? (values.quick ? 3 : 8));
const OLD_SYSTEM = 946; // orders/sec of the remote engine behind gRPC that tickbook replaces
const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));
const GATEWAY_CLI = fileURLToPath(new URL('../../gateway/dist/cli.js', import.meta.url));

interface Scenario {
  name: string;
  replicas: 1 | 3;
  shards: 1 | 2;
  ordersPerMessage: number;
  /** Requests in flight at once (one account each). */
  concurrency: number;
  /** Gateway processes the requests are spread over. */
  gateways: number;
  /** Offered load in orders/sec (undefined: as fast as it goes). */
  rate?: number;
}

/** CPU seconds (user + system) each kind of process used: where the time goes. */
type CpuSplit = Record<string, number>;

/** CPU seconds of every process whose command line matches, by /proc (Linux). */
function cpuByRole(roles: Record<string, (cmdline: string) => boolean>): CpuSplit {
  const out: CpuSplit = Object.fromEntries(Object.keys(roles).map((r) => [r, 0]));
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const role = Object.keys(roles).find((r) => roles[r](cmdline));
      if (!role) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[role] += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const ROLES: Record<string, (cmdline: string) => boolean> = {
  'nats-server': (c) => c.includes('nats-server'),
  matcher: (c) => c.includes('cli.js matcher'),
  sink: (c) => c.includes('cli.js sink'),
  postgres: (c) => c.startsWith('postgres') || c.includes('/postgres '),
  gateway: (c) => c.includes('gateway/dist/cli.js'),
  'load generator': (c) => c.includes('bench.js'),
};

interface Result extends Scenario {
  orders: number;
  ordersPerSec: number;
  answerUs: { p50: number; p95: number; p99: number };
  commitUs: { p50: number; p95: number; p99: number };
  /** CPU seconds per kind of process during the load. */
  cpu: CpuSplit;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** TICKBOOK_CLUSTER_PROFILE=<dir>: each child process writes a V8 CPU profile there when it stops. */
function profileFlags(): string[] {
  const dir = process.env.TICKBOOK_CLUSTER_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function matcherProcess(configFile: string, shard: string, node: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...profileFlags(), CLI, 'matcher', '--config', configFile, '--shard', shard, '--node', node],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"leadership"') || out.includes('"ready"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`matcher ${node} exited ${code}`)));
  });
}

/** Crossing limit orders around a mid price (wire format of the gateway), a cancel now and then. */
function orderStream(seed: number) {
  let x = seed >>> 0 || 1;
  const rnd = (m: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % m;
  };
  let id = 1;
  return (n: number): { id: number; side: string; price: number; qty: number }[] => {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push({ id: id++, side: rnd(2) ? 'buy' : 'sell', price: 990 + rnd(21), qty: 1 + rnd(9) });
    }
    return out;
  };
}

/** Crossing limit orders as commands (for the client-level failover run). */
function commandStream(seed: number) {
  const orders = orderStream(seed);
  return (n: number): Command[] =>
    orders(n).map((o) => ({ kind: 'limit', ...o, side: o.side as 'buy' | 'sell', owner: 1 }));
}

function processOf(
  args: string[],
  cli: string,
  ready: string,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...profileFlags(), cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes(ready));
      if (line) resolve({ child, line });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
}

// node:http with a keep-alive agent: a fraction of fetch's CPU per request, so
// the load generator takes less of the machine it shares.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, path: string, key: string, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname,
        port,
        path,
        method: 'POST',
        headers: {
          'x-api-key': key,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runScenario(dir: string, scenario: Scenario): Promise<Result> {
  const runDir = mkdtempSync(join(dir, 'run-'));
  const nats = await startNatsCluster({ dir: join(runDir, 'nats'), size: scenario.replicas });
  const db = await startPostgres({ dir: join(runDir, 'pg') });
  const symbols = ['S1', 'S2'];
  const config: ClusterConfig = {
    servers: nats.servers,
    replicas: scenario.replicas,
    books: Object.fromEntries(
      symbols.map((s) => [s, { minPrice: 1, maxPrice: 2000, capacity: 1_000_000 }]),
    ),
    shards: scenario.shards === 1 ? { a: symbols } : { a: ['S1'], b: ['S2'] },
  };
  const configFile = join(runDir, 'cluster.json');
  writeFileSync(configFile, JSON.stringify(config));
  const children: ChildProcess[] = [];
  for (const shard of Object.keys(config.shards))
    children.push(await matcherProcess(configFile, shard, `${shard}1`));
  const sink = await processOf(
    ['sink', '--config', configFile, '--database', db.connectionString],
    CLI,
    '"ready"',
  );
  children.push(sink.child);
  const workers = scenario.concurrency;
  const keys = Array.from({ length: workers }, (_, w) => `bench-account-key-${w + 1}`);
  const gatewayFile = join(runDir, 'gateway.json');
  writeFileSync(
    gatewayFile,
    JSON.stringify({
      port: 0,
      logLevel: 'silent',
      cluster: configFile,
      maxRequestsPerSecond: 0,
      maxRestingOrdersPerSymbol: 0,
      maxBatchOrders: 10_000,
      accounts: keys.map((key, w) => ({ key, owner: w + 1 })),
    }),
  );
  const urls: string[] = [];
  for (let g = 0; g < scenario.gateways; g++) {
    const gw = await processOf(['--config', gatewayFile], GATEWAY_CLI, '"listening"');
    children.push(gw.child);
    urls.push(JSON.parse(gw.line).url);
  }
  const answerUs: number[] = [];
  /** Sampled requests: their first order's (symbol, engine id) and when it was sent (epoch ms). */
  const sampled: { symbol: string; engineId: number; sentAt: number }[] = [];
  let orders = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const interval = scenario.rate ? (scenario.ordersPerMessage / scenario.rate) * workers * 1000 : 0;
  const worker = async (w: number) => {
    const streams = symbols.map((_, i) => orderStream(w * 7 + i + 1));
    const url = urls[w % urls.length];
    let next = performance.now();
    for (let k = w; performance.now() < deadline; k++) {
      const s = k % symbols.length;
      const batch = streams[s](scenario.ordersPerMessage);
      const single = batch.length === 1;
      const t0 = performance.now();
      const sentAt = Date.now();
      const status = await post(
        url,
        `/v1/orders${single ? '' : '/batch'}`,
        keys[w],
        JSON.stringify(
          single ? { symbol: symbols[s], ...batch[0] } : { symbol: symbols[s], orders: batch },
        ),
      );
      if (status !== 200) throw new Error(`gateway answered ${status}`);
      answerUs.push((performance.now() - t0) * 1000);
      if (k % 4 === w % 4)
        sampled.push({ symbol: symbols[s], engineId: (w + 1) * 2 ** 32 + batch[0].id, sentAt });
      orders += batch.length;
      if (interval > 0) {
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
  };
  const started = performance.now();
  const cpuBefore = cpuByRole(ROLES);
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuByRole(ROLES);
  const cpu = Object.fromEntries(
    Object.keys(ROLES).map((r) => [r, Math.round((cpuAfter[r] - cpuBefore[r]) * 100) / 100]),
  );
  // Wait for the sink to write every sampled order, then read when it did.
  const client = new pg.Client({ connectionString: db.connectionString });
  await client.connect();
  const commitUs: number[] = [];
  const waitUntil = performance.now() + 60_000;
  for (;;) {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM tb_orders');
    if (rows[0].n >= orders || performance.now() > waitUntil) break;
    await sleep(100);
  }
  const { rows } = await client.query<{ symbol: string; order_id: string; at: number }>(
    'SELECT symbol, order_id, extract(epoch FROM written_at) * 1000 AS at FROM tb_orders WHERE order_id = ANY($1::bigint[])',
    [sampled.map((x) => x.engineId)],
  );
  const writtenAt = new Map(rows.map((r) => [`${r.symbol}:${r.order_id}`, Number(r.at)]));
  for (const x of sampled) {
    const at = writtenAt.get(`${x.symbol}:${x.engineId}`);
    if (at !== undefined) commitUs.push((at - x.sentAt) * 1000);
  }
  await client.end();
  // SIGTERM and a moment to exit (a profiled process writes its profile then).
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            c.kill('SIGKILL');
            resolve();
          }, 5000);
          c.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  await db.stop();
  await nats.stop();
  rmSync(runDir, { recursive: true, force: true });
  return {
    ...scenario,
    orders,
    ordersPerSec: orders / elapsed,
    answerUs: summary(answerUs),
    commitUs: summary(commitUs),
    cpu,
  };
}

/**
 * SIGKILL the leading matcher under load: the longest pause in answers around
 * the kill, and whether any acknowledged message went unanswered.
 */
async function failover(
  dir: string,
): Promise<{ failoverMs: number; answered: number; unanswered: number }> {
  const runDir = mkdtempSync(join(dir, 'failover-'));
  const nats = await startNatsCluster({ dir: join(runDir, 'nats'), size: 3 });
  const config: ClusterConfig = {
    servers: nats.servers,
    replicas: 3,
    books: { S1: { minPrice: 1, maxPrice: 2000, capacity: 1_000_000 } },
    shards: { a: ['S1'] },
    leaseMs: 1000,
  };
  const configFile = join(runDir, 'cluster.json');
  writeFileSync(configFile, JSON.stringify(config));
  const leader = await matcherProcess(configFile, 'a', 'a1');
  const standby = await matcherProcess(configFile, 'a', 'a2');
  const client = await ClusterClient.connect(config, 'bench-failover');
  const stream = commandStream(3);
  const answeredAt: number[] = [];
  let unanswered = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      try {
        await client.submit('S1', stream(10), { resultTimeoutMs: 30_000 });
        answeredAt.push(performance.now());
      } catch {
        unanswered++; // acknowledged, but no result within 30 s
      }
    }
  };
  const work = Promise.all(Array.from({ length: 8 }, worker));
  await sleep(2000);
  const killedAt = performance.now();
  leader.kill('SIGKILL');
  await sleep(5000);
  stop = true;
  await work;
  await client.close();
  standby.kill('SIGTERM');
  await nats.stop();
  rmSync(runDir, { recursive: true, force: true });
  answeredAt.sort((a, b) => a - b);
  // The outage: the longest gap between consecutive answers that ends after the kill.
  let failoverMs = 0;
  for (let i = 1; i < answeredAt.length; i++) {
    if (answeredAt[i] > killedAt)
      failoverMs = Math.max(failoverMs, answeredAt[i] - answeredAt[i - 1]);
  }
  return { failoverMs, answered: answeredAt.length, unanswered };
}

function table(results: Result[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.replicas} | ${r.shards} | ${r.ordersPerMessage} | ${Math.round(r.ordersPerSec).toLocaleString('en-US')} | ${(r.ordersPerSec / OLD_SYSTEM).toFixed(0)}× | ${(r.answerUs.p50 / 1000).toFixed(2)} / ${(r.answerUs.p95 / 1000).toFixed(2)} / ${(r.answerUs.p99 / 1000).toFixed(2)} | ${(r.commitUs.p50 / 1000).toFixed(1)} / ${(r.commitUs.p95 / 1000).toFixed(1)} / ${(r.commitUs.p99 / 1000).toFixed(1)} |`,
  );
  return [
    '| scenario | replicas | shards | orders/msg | orders/s end to end | vs old system (946/s) | answer ms p50 / p95 / p99 | committed ms p50 / p95 / p99 |',
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

function cpuTable(results: Result[]): string {
  const roles = Object.keys(ROLES);
  return [
    `| scenario | replicas | shards | ${roles.join(' | ')} |`,
    `| --- | --: | --: | ${roles.map(() => '--:').join(' | ')} |`,
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.replicas} | ${r.shards} | ${roles.map((k) => r.cpu[k].toFixed(2)).join(' | ')} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-cluster-bench-'));
  const results: Result[] = [];
  const scenarios: Scenario[] = [
    {
      name: 'single orders',
      replicas: 1,
      shards: 1,
      ordersPerMessage: 1,
      concurrency: 64,
      gateways: 1,
    },
    {
      name: 'batched',
      replicas: 1,
      shards: 1,
      ordersPerMessage: 500,
      concurrency: 16,
      gateways: 1,
    },
    {
      name: 'single orders',
      replicas: 3,
      shards: 1,
      ordersPerMessage: 1,
      concurrency: 64,
      gateways: 1,
    },
    {
      name: 'batched',
      replicas: 3,
      shards: 1,
      ordersPerMessage: 500,
      concurrency: 16,
      gateways: 1,
    },
    {
      name: 'batched',
      replicas: 3,
      shards: 2,
      ordersPerMessage: 500,
      concurrency: 16,
      gateways: 2,
    },
  ];
  for (const s of values.quick ? scenarios.slice(1, 2) : scenarios) {
    const r = await runScenario(dir, s);
    results.push(r);
    process.stdout.write(`${table([r]).split('\n')[2]}\ncpu seconds: ${JSON.stringify(r.cpu)}\n`);
  }
  // Latency at half the batched replicas-3 load.
  const full = results.find((r) => r.replicas === 3 && r.shards === 1 && r.ordersPerMessage > 1);
  if (full) {
    const r = await runScenario(dir, {
      name: 'batched (100) at half load',
      replicas: 3,
      shards: 1,
      ordersPerMessage: 100,
      concurrency: 8,
      gateways: 1,
      rate: full.ordersPerSec / 2,
    });
    results.push(r);
    process.stdout.write(`${table([r]).split('\n')[2]}\n`);
  }
  const fo = values.quick ? undefined : await failover(dir);
  rmSync(dir, { recursive: true, force: true });
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
  };
  const text = [
    `# Cluster bench (${new Date().toISOString()})`,
    '',
    `${machine.cpuModel} · ${machine.cores} cores · Node ${machine.node} · ${SECONDS} s per scenario; every process (NATS nodes, matchers, gateways, the sink, PostgreSQL and the HTTP load generator) on these cores; committed = the sink wrote the order's row`,
    '',
    table(results),
    '',
    'CPU seconds per kind of process during each scenario:',
    '',
    cpuTable(results),
    '',
    fo
      ? `Failover (replicas 3, leader SIGKILLed under load, lease 1 s): the longest pause in answers was ${Math.round(fo.failoverMs)} ms; ${fo.answered} messages answered, ${fo.unanswered} acknowledged but unanswered.`
      : '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  const resultsDir = fileURLToPath(new URL('../../../bench-results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d+Z$/, 'Z');
  const out = values.out ?? join(resultsDir, `cluster-${stamp}.json`);
  writeFileSync(
    out,
    `${JSON.stringify({ machine, seconds: SECONDS, results, failover: fo }, null, 2)}\n`,
  );
  writeFileSync(out.replace(/\.json$/, '.md'), `${text}\n`);
  process.stdout.write(`results: ${out}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
