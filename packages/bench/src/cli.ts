#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: W1 orders/sec for every tickbook engine path
 * beside nodejs-order-book, latency, micro-benchmarks, scaling, memory; or
 * the sustained and profile modes. See packages/bench/README.md.
 */
import { parseArgs } from 'node:util';
import { runBench } from './run';

const HELP = `tickbook bench

  npm run bench                     full run (minutes): W1, latency, micro, scaling, memory
  npm run bench -- --quick          CI mode (~35 s): W1 checksums on every engine, short figures
  npm run bench -- --sustained 60   W1 flow for 60 s: per-second orders/sec, latency, RSS
  npm run bench -- --profile        CPU profile of W1 per tickbook path, flame graph SVG, top functions
  npm run bench -- --report         full run + 60 s sustained run + hardware counters (perf stat, where
                                    the machine has them) + profiles, written up as bench-results/report-<time>.md
                                    (--sustained N sets the sustained run's seconds)

options
  --runs N             timed W1 runs per path (default 3; the figure is their median)
  --engines a,b        only these paths (keys: wasm-binary, wasm-apply, wasm-order,
                       js-binary, js-apply, js-order, peer)
  --engine KEY         path for --sustained (default: fastest per-order path)
  --skip LIST          skip sections: ceiling,latency,micro,scaling,memory,durability,threads,ids,profile
  --out DIR            results folder (default: <repo>/bench-results)
`;

async function main(): Promise<number> {
  // `npm run bench -- --quick` reaches us through pnpm as `cli.js -- --quick`.
  const argv = process.argv.slice(2);
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      sustained: { type: 'string' },
      profile: { type: 'boolean', default: false },
      runs: { type: 'string' },
      engines: { type: 'string' },
      engine: { type: 'string' },
      skip: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) {
    throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  }
  const sustained = values.sustained === undefined ? undefined : Number(values.sustained);
  if (sustained !== undefined && (!Number.isFinite(sustained) || sustained <= 0)) {
    throw new Error(`--sustained takes a number of seconds, got ${values.sustained}`);
  }
  return runBench({
    mode: values.profile
      ? 'profile'
      : values.report
        ? 'full'
        : sustained !== undefined
          ? 'sustained'
          : values.quick
            ? 'quick'
            : 'full',
    runs,
    sustainedSeconds: sustained,
    engines: values.engines?.split(',').filter(Boolean),
    engine: values.engine,
    skip: new Set(values.skip?.split(',').filter(Boolean) ?? []),
    out: values.out,
    report: values.report,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
