/** Runs one bench mode end to end: measure, print the tables, write the JSON. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKSUM_LABELS, generateW1, W1_EXPECTED, type W1Checksums } from 'tickbook/workloads';
import { type Ceiling, ceilingText, NativeCeiling } from './ceiling';
import {
  DEFAULT_RUNS,
  FULL_PEER_OPS,
  MICRO_TIME_MS,
  QUICK_MEMORY_ORDERS,
  QUICK_MICRO_TIME_MS,
  QUICK_PEER_OPS,
  QUICK_SCALING_BAND_WIDTHS,
  QUICK_SCALING_BOOK_SIZES,
  QUICK_SCALING_OPS,
  SCALING_BAND_WIDTHS,
  SCALING_BOOK_SIZES,
  SCALING_OPS,
} from './constants';
import { type CounterResult, hardwareCounters } from './counters';
import { durabilityText, runDurability } from './durability';
import { loadEngines, referenceOf, selectEngines } from './engines';
import { idsText, runIds } from './ids';
import { type LatencyResult, latencyRows, runLatency } from './latency';
import { type MemoryResult, peakRss, runMemory } from './memory';
import { MICRO_TASKS, type MicroResult, runMicro } from './micro';
import { runProfile } from './profile';
import {
  elapsedSeconds,
  fmtBytes,
  fmtRate,
  machine,
  progress,
  resultsDir,
  section,
  stamp,
  table,
  writeJson,
} from './report';
import { markdownReport } from './report-md';
import { type ScalingTable, scaleBandWidth, scaleBookSize } from './scaling';
import { runSustained, type SustainedResult } from './sustained';
import { checkTargets } from './targets';
import { runThreads, threadsText } from './threads';
import type { EngineAdapter, TargetCheck, ThroughputResult } from './types';
import { runW1, throughputRows } from './w1-run';

/** What the command line asked for. */
export interface BenchOptions {
  mode: 'full' | 'quick' | 'sustained' | 'profile';
  runs?: number;
  sustainedSeconds?: number;
  engines?: string[];
  engine?: string;
  skip: Set<string>;
  out?: string;
  /** Full mode: also a sustained run, hardware counters, profiles, and report-<time>.md. */
  report?: boolean;
}

const WORKLOAD_NOTE =
  'W1 (docs/workloads.md): mulberry32 seed 42, 10,000 passive warm-up orders, 1,000,000 operations (40% passive, 48% cancel, 8% marketable GTC limit, 4% market) on a steady ~7,000-order book, mid 10,000';

function w1Table(results: readonly ThroughputResult[]): string {
  return table(
    throughputRows(results, {
      header: ['ops/run', 'equal work'],
      cells: (r) => [r.ops.toLocaleString(), `✓ ${r.proof}`],
    }),
  );
}

function checksumTable(results: readonly ThroughputResult[]): string {
  const withSums = results.filter((r) => r.checksums);
  const rows = [['figure', 'docs/workloads.md', ...withSums.map((r) => r.key)]];
  for (const k of Object.keys(CHECKSUM_LABELS) as (keyof W1Checksums)[]) {
    rows.push([
      CHECKSUM_LABELS[k],
      W1_EXPECTED[k].toLocaleString(),
      ...withSums.map((r) => `${r.checksums?.[k].toLocaleString()} ✓`),
    ]);
  }
  return table(rows);
}

function latencyTable(results: readonly LatencyResult[]): string {
  const overhead = results[0]?.timerOverheadNs ?? 0;
  return `${table(latencyRows(results))}\n(one call timed per sample; timer overhead ${overhead.toFixed(0)} ns subtracted; jitter: p99 − p50)`;
}

function microTable(results: readonly MicroResult[], engines: readonly EngineAdapter[]): string {
  const keys = engines.filter((e) => results.some((r) => r.key === e.key)).map((e) => e.key);
  const rows = [
    [
      'task (ns/call, median)',
      ...keys,
      ...(keys.includes('peer') ? keys.filter((k) => k !== 'peer').map((k) => `${k} × peer`) : []),
    ],
  ];
  for (const task of MICRO_TASKS) {
    const get = (k: string) => results.find((r) => r.task === task && r.key === k);
    const peer = get('peer');
    const cells = keys.map((k) => {
      const r = get(k);
      return r ? r.p50Ns.toFixed(0) : '—';
    });
    const ratios = peer
      ? keys
          .filter((k) => k !== 'peer')
          .map((k) => {
            const r = get(k);
            return r && r.p50Ns > 0 ? `${(peer.p50Ns / r.p50Ns).toFixed(1)}×` : '—';
          })
      : [];
    rows.push([task, ...cells, ...ratios]);
  }
  return table(rows);
}

function scalingText(t: ScalingTable): string {
  const keys = Object.keys(t.spreadFactor);
  const rows = [[t.xLabel, 'resting at end', ...keys.map((k) => `${k} orders/s`)]];
  for (const p of t.points) {
    rows.push([
      p.x.toLocaleString(),
      p.restingAtEnd.toLocaleString(),
      ...keys.map((k) => fmtRate(p.opsPerSec[k].median)),
    ]);
  }
  const verdicts = keys.map((k) =>
    t.flat[k]
      ? `${k}: flat (slowest/fastest ${t.spreadFactor[k].toFixed(2)}× ≤ 1.5×)`
      : `${k}: NOT flat — slowest/fastest ${t.spreadFactor[k].toFixed(2)}× > 1.5×`,
  );
  return `${table(rows)}\n${t.ops.toLocaleString()} timed operations per point\n${verdicts.join('\n')}`;
}

function memoryTable(results: readonly MemoryResult[]): string {
  const rows = [
    [
      'path',
      'capacity × band',
      'empty book',
      'resting',
      'with orders',
      'Δ bytes/order',
      'RSS growth',
    ],
  ];
  for (const m of results) {
    rows.push([
      m.label,
      `${m.capacity.toLocaleString()} × ${m.bandTicks.toLocaleString()}`,
      fmtBytes(m.emptyBytes),
      m.orders.toLocaleString(),
      fmtBytes(m.fullBytes),
      Math.max(0, Math.round(m.bytesPerOrder)).toString(),
      fmtBytes(m.rssDeltaBytes),
    ]);
  }
  return table(rows);
}

function targetsText(checks: readonly TargetCheck[]): string {
  const rows = [['target', 'wanted', 'this run', 'verdict']];
  for (const c of checks) rows.push([c.name, c.target, c.actual, c.met ? '✓ met' : `✗ ${c.note}`]);
  const missed = checks.filter((c) => !c.met).length;
  return `${table(rows)}\n${
    missed === 0
      ? 'all targets met'
      : `${missed} target(s) missed — the top costs by self time follow (full mode), or run \`npm run bench -- --profile\``
  }`;
}

/** Runs the mode; resolves to the process exit code. */
export async function runBench(o: BenchOptions): Promise<number> {
  const all = await loadEngines();
  const engines = selectEngines(all, o.engines);
  progress(`tickbook bench · ${o.mode} · paths: ${engines.map((e) => e.key).join(', ')}`);

  if (o.mode === 'sustained') {
    const perOrder = engines.filter((e) => e.path === 'per-order' && e.family === 'tickbook');
    const engine = o.engine ? all.find((e) => e.key === o.engine) : perOrder[0];
    if (!engine) throw new Error(`no path ${o.engine} for --sustained`);
    const result = runSustained(engine, o.sustainedSeconds ?? 60);
    const path = writeJson(
      `sustained-${stamp()}.json`,
      { machine: machine(), workload: WORKLOAD_NOTE, result },
      o.out,
    );
    section(
      'sustained',
      `${result.totalOps.toLocaleString()} operations; RSS end ÷ middle second ${result.rssGrowth.toFixed(2)}×; max resting ${result.maxResting.toLocaleString()}\nresults: ${path}`,
    );
    return 0;
  }

  progress('generating W1 (untimed)');
  const workload = generateW1();

  if (o.mode === 'profile') {
    const profiles = await runProfile(engines, workload, o.out);
    const path = writeJson(
      `profile-${stamp()}.json`,
      { machine: machine(), workload: WORKLOAD_NOTE, profiles },
      o.out,
    );
    process.stdout.write(`\nresults: ${path}\n`);
    return 0;
  }

  const quick = o.mode === 'quick';
  const runs = o.runs ?? DEFAULT_RUNS;
  const peerOps = quick ? QUICK_PEER_OPS : FULL_PEER_OPS;
  const peerWorkload = peerOps === workload.ops.length ? workload : generateW1({ ops: peerOps });

  // The native ceiling runs one fresh book between every two timed runs of
  // the paths (and before the first, after the last), so each run is set
  // against the ceiling's speed just before and just after it: the shared
  // machine's speed moves within seconds, and both sides of the ratio move
  // with it.
  const native = o.skip.has('ceiling')
    ? 'skipped (--skip ceiling)'
    : NativeCeiling.prepare(workload);
  let w1: ThroughputResult[];
  try {
    w1 = runW1(engines, {
      runs,
      workload,
      peerWorkload,
      reference: referenceOf(all),
      ceiling: typeof native === 'string' ? undefined : () => native.run(1)[0],
    });
  } finally {
    if (typeof native !== 'string') native.dispose();
  }
  const ceiling: Ceiling = typeof native === 'string' ? { skipped: native } : native.result();
  const latency = o.skip.has('latency')
    ? []
    : runLatency(engines, (e) => (e.family === 'peer' ? peerWorkload : workload));
  const micro = o.skip.has('micro')
    ? []
    : await runMicro(engines, quick ? QUICK_MICRO_TIME_MS : MICRO_TIME_MS);
  const tickbookPaths = engines.filter((e) => e.family === 'tickbook');
  const scaling: ScalingTable[] = [];
  if (!o.skip.has('scaling') && tickbookPaths.length > 0) {
    const ops = quick ? QUICK_SCALING_OPS : SCALING_OPS;
    const sruns = quick ? 1 : runs;
    scaling.push(
      scaleBookSize(
        tickbookPaths,
        quick ? QUICK_SCALING_BOOK_SIZES : SCALING_BOOK_SIZES,
        ops,
        sruns,
      ),
    );
    scaling.push(
      scaleBandWidth(
        tickbookPaths,
        quick ? QUICK_SCALING_BAND_WIDTHS : SCALING_BAND_WIDTHS,
        ops,
        sruns,
      ),
    );
  }
  const memory = o.skip.has('memory')
    ? []
    : runMemory(engines, !quick, quick ? QUICK_MEMORY_ORDERS : undefined);
  const durability = o.skip.has('durability') ? undefined : runDurability(workload, quick, runs);
  const threads = o.skip.has('threads') ? undefined : await runThreads(quick);
  const ids = o.skip.has('ids') ? undefined : runIds(workload, quick, runs);
  const targets = checkTargets(w1, latency, scaling, ceiling);

  section(
    `W1 throughput · median of ${runs} runs on fresh warmed books, paths interleaved`,
    w1Table(w1),
  );
  if (peerWorkload !== workload) {
    process.stdout.write(
      `(quick mode: the peer ran a ${peerOps.toLocaleString()}-operation W1 variant — same generator, same steady book — proven against the reference on that variant)\n`,
    );
  }
  section('W1 checksums (verification run of each tickbook path)', checksumTable(w1));
  section(
    'ceiling · W1 on a hand-written C++ price-ladder book, same run',
    ceilingText(w1, ceiling),
  );
  if (latency.length > 0) section('latency per call, per-order paths', latencyTable(latency));
  if (micro.length > 0)
    section('micro-benchmarks (tinybench, book = W1 warm-up)', microTable(micro, engines));
  for (const t of scaling) {
    const note = quick ? ' (quick: ends of the range, 1 run each — indicative only)' : '';
    section(`scaling · ${t.name}${note}`, scalingText(t));
  }
  if (memory.length > 0)
    section(
      'memory · book with capacity 1,000,000 orders × 1,000,000-tick band',
      memoryTable(memory),
    );
  if (threads) {
    section('threads · BookReader reads while W1 runs, and the command ring', threadsText(threads));
  }
  if (durability) {
    section(
      'durability · snapshot/restore, and W1 with the journal on vs off',
      durabilityText(durability),
    );
  }
  if (ids) {
    section('ids · string ids mapped with OrderIdMap vs numeric ids, W1 per order', idsText(ids));
  }
  section('targets (reported, not asserted)', targetsText(targets));
  // A missed target comes with the profile's top costs (full mode; quick mode stays short).
  const profiles =
    !quick && !o.skip.has('profile') && (o.report || targets.some((t) => !t.met))
      ? await runProfile(tickbookPaths, workload, o.out)
      : [];
  const report = !quick && o.report ? reportExtras(engines, o) : undefined;
  const peak = peakRss();

  const m = machine();
  const path = writeJson(
    `${o.mode}-${stamp()}.json`,
    {
      mode: o.mode,
      date: new Date().toISOString(),
      machine: m,
      workload: { name: 'W1', description: WORKLOAD_NOTE, options: workload.options },
      peerWorkload: {
        name: peerOps === workload.ops.length ? 'W1' : 'W1 variant',
        options: peerWorkload.options,
      },
      paths: engines.map((e) => ({ key: e.key, label: e.label, engine: e.engine, path: e.path })),
      runs,
      w1,
      ceiling,
      latency,
      micro,
      scaling,
      memory,
      durability,
      threads,
      ids,
      peakRssBytes: peak,
      targets,
      profiles,
      seconds: elapsedSeconds(),
    },
    o.out,
  );
  if (report) {
    const page = markdownReport({
      date: new Date().toISOString(),
      machine: m,
      workload: WORKLOAD_NOTE,
      runs,
      w1,
      ceiling,
      latency,
      scaling,
      sustained: report.sustained,
      counters: report.counters,
      profiles,
      targets,
      jsonFile: path,
    });
    const file = join(resultsDir(o.out), `report-${stamp()}.md`);
    writeFileSync(file, page);
    section('report', file);
  }
  section(
    'run',
    `${m.cpuModel} · ${m.cores} cores · Node ${m.node} · peak RSS ${fmtBytes(peak)} · ${elapsedSeconds().toFixed(1)} s\nresults: ${path}`,
  );
  return 0;
}

/** What `--report` adds to a full run: a sustained run on the fastest per-order path, and counters. */
function reportExtras(
  engines: readonly EngineAdapter[],
  o: BenchOptions,
): { sustained: SustainedResult | undefined; counters: CounterResult } {
  const perOrder = engines.filter((e) => e.family === 'tickbook' && e.path !== 'batch');
  const submit = perOrder.find((e) => e.path === 'submit') ?? perOrder[0];
  const sustained = submit ? runSustained(submit, o.sustainedSeconds ?? 60) : undefined;
  const counters = hardwareCounters(engines.filter((e) => e.family === 'tickbook'));
  return { sustained, counters };
}
