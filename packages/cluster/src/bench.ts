/**
 * npm run bench:cluster — end to end through a real cluster on this machine:
 * client → JetStream (command stream) → matcher process → event stream →
 * answer, and → PostgreSQL committed. Orders/sec and latency percentiles
 * for replicas 1 and 3, one and two shards, single-order and batched
 * messages; the failover time when a leading matcher is SIGKILLed.
 *
 *   npm run bench:cluster [-- --seconds 8] [-- --quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from 'tickbook';
import { ClusterClient } from './client';
import type { ClusterConfig } from './config';
import { startNatsCluster } from './services/nats-server';
import { startPostgres } from './services/postgres-server';
import { PgSink } from './sink/pg-sink';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } },
});
const SECONDS = Number(values.seconds ?? (values.quick ? 3 : 8));
const OLD_SYSTEM = 946; // orders/sec of the remote engine behind gRPC that tickbook replaces
const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

interface Scenario {
  name: string;
  replicas: 1 | 3;
  shards: 1 | 2;
  ordersPerMessage: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Offered load in orders/sec (undefined: as fast as it goes). */
  rate?: number;
}

interface Result extends Scenario {
  orders: number;
  ordersPerSec: number;
  answerUs: { p50: number; p95: number; p99: number };
  commitUs: { p50: number; p95: number; p99: number };
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

function matcherProcess(configFile: string, shard: string, node: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'matcher', '--config', configFile, '--shard', shard, '--node', node],
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

/** Crossing limit orders around a mid price, a cancel now and then: trades on most orders. */
function orderStream(seed: number) {
  let x = seed >>> 0 || 1;
  const rnd = (m: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % m;
  };
  let id = 1;
  return (n: number): Command[] => {
    const out: Command[] = [];
    for (let i = 0; i < n; i++) {
      if (rnd(10) === 0 && id > 10) out.push({ kind: 'cancel', id: id - 1 - rnd(8) });
      else
        out.push({
          kind: 'limit',
          id: id++,
          side: rnd(2) ? 'buy' : 'sell',
          price: 990 + rnd(21),
          qty: 1 + rnd(9),
          owner: 1 + rnd(50),
        });
    }
    return out;
  };
}

async function runScenario(dir: string, scenario: Scenario): Promise<Result> {
  const runDir = mkdtempSync(join(dir, 'run-'));
  const nats = await startNatsCluster({ dir: join(runDir, 'nats'), size: scenario.replicas });
  const db = await startPostgres({ dir: join(runDir, 'pg') });
  const symbols = scenario.shards === 1 ? ['S1', 'S2'] : ['S1', 'S2'];
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
  const matchers: ChildProcess[] = [];
  for (const shard of Object.keys(config.shards))
    matchers.push(await matcherProcess(configFile, shard, `${shard}1`));
  const pendingCommit = new Map<string, { seq: number; t0: number; n: number }[]>(
    symbols.map((s) => [s, []]),
  );
  const commitUs: number[] = [];
  const sink = await PgSink.start({
    config,
    database: db.connectionString,
    onCommit: ({ progress }) => {
      const now = performance.now();
      for (const [symbol, last] of progress) {
        const q = pendingCommit.get(symbol) ?? [];
        let k = 0;
        while (k < q.length && q[k].seq <= last) commitUs.push((now - q[k++].t0) * 1000);
        q.splice(0, k);
      }
    },
  });
  const client = await ClusterClient.connect(config, 'bench');
  const answerUs: number[] = [];
  let orders = 0;
  const streams = symbols.map((_, i) => orderStream(i + 7));
  const deadline = performance.now() + SECONDS * 1000;
  const interval = scenario.rate
    ? (scenario.ordersPerMessage / scenario.rate) * scenario.concurrency * 1000
    : 0;
  const worker = async (w: number) => {
    let next = performance.now();
    for (let k = w; performance.now() < deadline; k++) {
      const s = k % symbols.length;
      const symbol = symbols[s];
      const commands = streams[s](scenario.ordersPerMessage);
      const t0 = performance.now();
      const answer = await client.submit(symbol, commands);
      answerUs.push((performance.now() - t0) * 1000);
      (pendingCommit.get(symbol) as { seq: number; t0: number; n: number }[]).push({
        seq: answer.seq,
        t0,
        n: commands.length,
      });
      orders += commands.length;
      if (interval > 0) {
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: scenario.concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  // Let the sink commit what was answered.
  const commitDeadline = performance.now() + 30_000;
  while (
    [...pendingCommit.values()].some((q) => q.length > 0) &&
    performance.now() < commitDeadline
  )
    await sleep(20);
  await client.close();
  await sink.stop();
  for (const m of matchers) m.kill('SIGTERM');
  await db.stop();
  await nats.stop();
  rmSync(runDir, { recursive: true, force: true });
  return {
    ...scenario,
    orders,
    ordersPerSec: orders / elapsed,
    answerUs: summary(answerUs),
    commitUs: summary(commitUs),
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
  const stream = orderStream(3);
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
  const before = answeredAt.filter((t) => t <= killedAt).pop() ?? killedAt;
  const after = answeredAt.find((t) => t > killedAt) ?? Number.NaN;
  return { failoverMs: after - before, answered: answeredAt.length, unanswered };
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-cluster-bench-'));
  const results: Result[] = [];
  const scenarios: Scenario[] = [
    { name: 'single orders', replicas: 1, shards: 1, ordersPerMessage: 1, concurrency: 64 },
    { name: 'batched', replicas: 1, shards: 1, ordersPerMessage: 200, concurrency: 16 },
    { name: 'single orders', replicas: 3, shards: 1, ordersPerMessage: 1, concurrency: 64 },
    { name: 'batched', replicas: 3, shards: 1, ordersPerMessage: 200, concurrency: 16 },
    { name: 'batched', replicas: 3, shards: 2, ordersPerMessage: 200, concurrency: 16 },
  ];
  for (const s of values.quick ? scenarios.slice(1, 2) : scenarios) {
    const r = await runScenario(dir, s);
    results.push(r);
    process.stdout.write(`${table([r]).split('\n')[2]}\n`);
  }
  // Latency at half the batched replicas-3 load.
  const full = results.find((r) => r.replicas === 3 && r.shards === 1 && r.ordersPerMessage > 1);
  if (full) {
    const r = await runScenario(dir, {
      name: 'batched at half load',
      replicas: 3,
      shards: 1,
      ordersPerMessage: 200,
      concurrency: 8,
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
    `${machine.cpuModel} · ${machine.cores} cores · Node ${machine.node} · ${SECONDS} s per scenario; every process (NATS nodes, matchers, PostgreSQL, the sink and the load generator) on this one machine`,
    '',
    table(results),
    '',
    fo
      ? `Failover (replicas 3, leader SIGKILLed under load, lease 1 s): the longest pause in answers was ${Math.round(fo.failoverMs)} ms; ${fo.answered} messages answered, ${fo.unanswered} acknowledged but unanswered.`
      : '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  mkdirSync('bench-results', { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d+Z$/, 'Z');
  const out = values.out ?? join('bench-results', `cluster-${stamp}.json`);
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
