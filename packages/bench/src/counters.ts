/**
 * Hardware counters through Linux `perf stat`, where the machine allows it:
 * cycles, instructions, cache and branch misses of a child process running
 * one engine path's W1 (quick mode, one run). The counts cover the whole
 * child (start-up, workload generation and the verification run included),
 * so they compare paths with each other, not with a bare matching loop. On
 * many VMs perf answers `<not supported>`: the report then says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress } from './report';
import type { EngineAdapter } from './types';

/**
 * perf's generic event names, and what the report calls them. L2 misses have
 * no generic perf event (they are model-specific), so the L3 figure is the
 * last-level cache's and `cache-misses` is perf's own cache-miss count.
 */
export const COUNTER_EVENTS: Record<string, string> = {
  cycles: 'cycles',
  instructions: 'instructions',
  'L1-dcache-load-misses': 'L1 data cache load misses',
  'LLC-load-misses': 'last-level (L3) cache load misses',
  'cache-misses': 'cache misses (perf generic)',
  'branch-misses': 'branch mispredictions',
};

export interface PathCounters {
  key: string;
  label: string;
  /** Event → count; an event the machine lacks is absent. */
  counts: Record<string, number>;
  /** Instructions per cycle, when both counted. */
  ipc?: number;
}

export type CounterResult =
  | { available: true; paths: PathCounters[]; note: string }
  | { available: false; why: string };

/** Parse `perf stat -x,` lines (value,unit,event,…) into counts; unsupported events are left out. */
export function parsePerfCsv(text: string): {
  counts: Record<string, number>;
  unsupported: string[];
} {
  const counts: Record<string, number> = {};
  const unsupported: string[] = [];
  for (const line of text.split('\n')) {
    const [value, , event] = line.split(',');
    if (!event) continue;
    if (/^\d+(\.\d+)?$/.test(value)) counts[event] = Number(value);
    else if (value.includes('not supported') || value.includes('not counted'))
      unsupported.push(event);
  }
  return { counts, unsupported };
}

function perf(args: string[]) {
  return spawnSync('perf', ['stat', '-x,', '-e', Object.keys(COUNTER_EVENTS).join(','), ...args], {
    encoding: 'utf8',
  });
}

/** Whether counters can be read here; otherwise the reason, in words. */
export function countersProbe(): { ok: true } | { ok: false; why: string } {
  const probe = perf(['true']);
  if (probe.error) {
    return {
      ok: false,
      why: `perf is not installed (${(probe.error as NodeJS.ErrnoException).code}); on Debian: apt-get install linux-perf`,
    };
  }
  const { counts, unsupported } = parsePerfCsv(probe.stderr);
  if (counts.instructions === undefined) {
    const detail =
      unsupported.length > 0
        ? `<not supported> for ${unsupported.join(', ')}`
        : probe.stderr.trim();
    return {
      ok: false,
      why: `this machine does not expose hardware counters to perf (${detail}); typical of a virtual machine without PMU passthrough`,
    };
  }
  return { ok: true };
}

/** Counters of each path's W1 run in a child process, or why there are none. */
export function hardwareCounters(paths: readonly EngineAdapter[]): CounterResult {
  const probe = countersProbe();
  if (!probe.ok) return { available: false, why: probe.why };
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'tickbook-counters-'));
  const results: PathCounters[] = [];
  try {
    for (const e of paths) {
      progress(`counters · ${e.label}`);
      const skip = 'latency,micro,scaling,memory,durability,threads,profile';
      const run = perf([
        process.execPath,
        cli,
        '--quick',
        '--runs',
        '1',
        '--engines',
        e.key,
        '--skip',
        skip,
        '--out',
        out,
      ]);
      const { counts } = parsePerfCsv(run.stderr);
      const ipc =
        counts.instructions && counts.cycles ? counts.instructions / counts.cycles : undefined;
      results.push({ key: e.key, label: e.label, counts, ipc });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return {
    available: true,
    paths: results,
    note: 'whole child process: start-up, W1 generation, one verification run and one timed run',
  };
}
