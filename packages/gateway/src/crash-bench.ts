#!/usr/bin/env node
/**
 * Crash bench: what a SIGKILL under the heaviest load costs at restart.
 *
 *   node dist/crash-bench.js [--duration S] [--connections N] [--engine js|wasm] [--out DIR]
 *
 * Starts the gateway as a child process (Node's default heap, default
 * checkpoints: 64 MiB / 60 s, fsync batch), drives the load test's heaviest
 * load (100-order batches from 8 accounts over `--connections` connections,
 * autocannon) for `--duration` seconds (default 30) and, beside it, a witness
 * account posting batches of orders far below the market, which never trade:
 * every one of them that was acknowledged must be in the book after the
 * restart. Then SIGKILLs the gateway mid-load, starts it again on the same
 * data, and reports the time to its `listening` line, the restarted
 * process's peak RSS (VmHWM from /proc/<pid>/status, Linux) once listening,
 * the journal it had to replay, and whether every acknowledged witness order
 * is there (read from the snapshot the restarted gateway writes when it is
 * stopped). Prints a table and writes JSON to bench-results/crash-<time>.json.
 * The recovered book's sequence (commands applied since the first start) must
 * cover every acknowledged order too. Reports, never asserts; exit code 1
 * only when an acknowledged order is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { restoreBook } from 'tickbook';
import { scriptOptions } from './args';
import { toEngineId } from './ids';
import { ACCOUNTS, orderFlow, SYMBOL, spawnGateway } from './load-common';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const WITNESS = ACCOUNTS + 1;
const WITNESS_KEY = 'crash-witness-key';
const BATCH = 100;

/** A field of /proc/<pid>/status in bytes (`VmHWM`, `VmRSS`); undefined off Linux. */
function procStatusBytes(pid: number | undefined, field: string): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The heavy load: 100-order batches from the load test's accounts until `stop` is called. */
function heavyLoad(url: string, connections: number) {
  const next = orderFlow();
  let n = 0;
  const keys = Array.from({ length: ACCOUNTS }, (_, i) => `load-key-${i + 1}`);
  let ok = 0;
  const instance = autocannon(
    {
      url,
      connections,
      duration: 3600,
      requests: [
        {
          method: 'POST',
          path: '/v1/orders/batch',
          setupRequest: (req) => {
            const account = n++ % ACCOUNTS;
            req.headers = { 'content-type': 'application/json', 'x-api-key': keys[account] };
            const orders = new Array(BATCH);
            for (let i = 0; i < BATCH; i++) orders[i] = next(account);
            req.body = JSON.stringify({ symbol: SYMBOL, orders });
            return req;
          },
        },
      ],
    },
    // the gateway's death ends the run with connection errors: expected
    () => {},
  );
  instance.on('response', (_client, status) => {
    if (status === 200) ok++;
  });
  return {
    stop: () => {
      instance.stop();
    },
    acknowledgedOrders: () => ok * BATCH,
  };
}

/** The witness: batches of resting orders that never trade; collects the acknowledged ids. */
function witness(url: string) {
  const acknowledged: number[] = [];
  let nextId = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const orders = Array.from({ length: BATCH }, () => {
        nextId++;
        // buy far below the market (the load trades around 500,000): never filled
        return { id: nextId, side: 'buy', price: 1 + (nextId % 1000), qty: 1 };
      });
      try {
        const res = await fetch(`${url}/v1/orders/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': WITNESS_KEY },
          body: JSON.stringify({ symbol: SYMBOL, orders }),
        });
        if (res.status !== 200) continue;
        const body = (await res.json()) as { results: { id: number; status: string }[] };
        for (const r of body.results) if (r.status === 'resting') acknowledged.push(r.id);
      } catch {
        // the gateway was killed: whatever had no answer was never acknowledged
        if (!running) break;
      }
    }
  })();
  return {
    acknowledged,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

function stopGateway(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  child.kill(signal);
  return exited;
}

async function main(): Promise<void> {
  const { values } = scriptOptions({
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '64' },
    engine: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: join(repoRoot, 'bench-results') },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const dir = mkdtempSync(join(tmpdir(), 'tickbook-gw-crash-'));
  const dataDir = join(dir, 'data');
  const config = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    engine: values.engine,
    fsync: 'batch',
    logLevel: 'error',
    // the load is not held back by the per-account limits; checkpoints as by default
    maxRequestsPerSecond: 0,
    maxRestingOrdersPerSymbol: 0,
    instruments: [{ symbol: SYMBOL, minPrice: 1, maxPrice: 1_000_000, capacity: 4_000_000 }],
    accounts: [
      ...Array.from({ length: ACCOUNTS }, (_, i) => ({ key: `load-key-${i + 1}`, owner: i + 1 })),
      { key: WITNESS_KEY, owner: WITNESS, name: 'witness' },
    ],
  };
  const configPath = join(dir, 'gateway.json');
  writeFileSync(configPath, JSON.stringify(config));
  const journalPath = join(dataDir, `${SYMBOL}.journal`);
  const snapshotPath = join(dataDir, `${SYMBOL}.snapshot`);

  try {
    process.stderr.write(`crash bench: ${duration}s of 100-order batches, then SIGKILL ...\n`);
    const first = await spawnGateway(configPath);
    const peakBefore = { rss: 0 };
    const load = heavyLoad(first.url, connections);
    const wit = witness(first.url);
    const sampler = setInterval(() => {
      peakBefore.rss = Math.max(peakBefore.rss, procStatusBytes(first.child.pid, 'VmRSS') ?? 0);
    }, 250);
    await new Promise((r) => setTimeout(r, duration * 1000));
    clearInterval(sampler);
    const firstHwm = procStatusBytes(first.child.pid, 'VmHWM');
    await stopGateway(first.child, 'SIGKILL');
    load.stop();
    await wit.stop();
    const acknowledgedLoad = load.acknowledgedOrders();
    const journalBytes = fileSize(journalPath);
    const snapshotBytes = fileSize(snapshotPath);

    process.stderr.write('restarting on the same data ...\n');
    const t0 = performance.now();
    const second = await spawnGateway(configPath);
    const toListeningMs = performance.now() - t0;
    const restartHwm = procStatusBytes(second.child.pid, 'VmHWM');
    const health = (await (await fetch(`${second.url}/health`)).json()) as {
      symbols: { resting: number }[];
    };
    // stopped gracefully, it checkpoints: its snapshot is exactly the recovered book
    const exitCode = await stopGateway(second.child, 'SIGTERM');
    const book = restoreBook(readFileSync(snapshotPath));
    const missing = wit.acknowledged.filter((id) => !book.order(toEngineId(WITNESS, id)));
    // Every acknowledged command is in the recovered book's sequence (commands
    // applied since the first start); in-flight ones may be there too.
    const acknowledgedCommands = acknowledgedLoad + wit.acknowledged.length;

    const result = {
      kind: 'gateway-crash',
      time: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      settings: { engine: values.engine, fsync: 'batch', duration, connections, batch: BATCH },
      beforeKill: {
        acknowledgedLoadOrders: acknowledgedLoad,
        acknowledgedWitnessOrders: wit.acknowledged.length,
        peakRssBytes: firstHwm ?? (peakBefore.rss || null),
        journalBytes,
        snapshotBytes,
      },
      restart: {
        toListeningMs: Math.round(toListeningMs),
        recoveredRecords: second.listening.recovered[SYMBOL] ?? 0,
        peakRssBytes: restartHwm ?? null,
        restingOrders: health.symbols[0]?.resting,
        gracefulExitCode: exitCode,
      },
      recoveredSequence: book.sequence,
      acknowledgedCommands,
      sequenceCoversAcknowledged: book.sequence >= acknowledgedCommands,
      witnessMissing: missing.length,
      witnessMissingSample: missing.slice(0, 10),
    };
    mkdirSync(values.out, { recursive: true });
    const stamp = new Date()
      .toISOString()
      .replace(/[:.]/g, '-')
      .replace(/-\d{3}Z$/, 'Z');
    const outFile = join(values.out, `crash-${stamp}.json`);
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    const rows = [
      ['load orders acknowledged before the kill', acknowledgedLoad.toLocaleString('en-US')],
      ['witness orders acknowledged', wit.acknowledged.length.toLocaleString('en-US')],
      ['peak RSS of the first process (VmHWM)', mib(result.beforeKill.peakRssBytes ?? undefined)],
      ['journal at the kill', mib(journalBytes)],
      ['snapshot at the kill', mib(snapshotBytes)],
      [
        'journal records replayed at restart',
        result.restart.recoveredRecords.toLocaleString('en-US'),
      ],
      ['restart: spawn to listening', `${result.restart.toListeningMs} ms`],
      ['restart: peak RSS once listening (VmHWM)', mib(restartHwm)],
      ['resting orders after restart', String(result.restart.restingOrders)],
      [
        'commands in the recovered book / acknowledged',
        `${book.sequence.toLocaleString('en-US')} / ${acknowledgedCommands.toLocaleString('en-US')}`,
      ],
      ['acknowledged witness orders missing', String(missing.length)],
    ];
    const lines = [
      '| measure | value |',
      '| --- | ---: |',
      ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    ];
    process.stdout.write(`${lines.join('\n')}\n\nwrote ${outFile}\n`);
    if (missing.length > 0 || book.sequence < acknowledgedCommands) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`crash-bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
