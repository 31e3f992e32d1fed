/**
 * Profile mode: a V8 CPU profile (through `node:inspector`) of one W1 run on
 * each tickbook path, saved as `.cpuprofile` (open it in Chrome DevTools or
 * speedscope), drawn as a flame graph SVG, and summarised as the top
 * functions by self time. WASM functions appear under the names of the
 * module's name section.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { W1Workload } from 'tickbook/workloads';
import { PROFILE_SAMPLING_US, PROFILE_TOP } from './constants';
import { flameGraphSvg } from './flamegraph';
import { fullGc } from './gc';
import { type CpuProfile, type SelfTime, topSelfTime } from './profile-data';
import { fmtRate, progress, resultsDir, section, stamp, table } from './report';
import type { EngineAdapter } from './types';
import { w1Shape } from './w1-run';
import { nameWasmFrames, tickbookWasmNames } from './wasm-names';

/** The profile of one path. */
export interface ProfileResult {
  key: string;
  label: string;
  opsPerSec: number;
  cpuprofile: string;
  svg: string;
  top: SelfTime[];
}

/** Profiles W1 on each tickbook path; writes files under the results folder. */
export async function runProfile(
  engines: readonly EngineAdapter[],
  w: W1Workload,
  outDir?: string,
): Promise<ProfileResult[]> {
  const dir = resultsDir(outDir);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
  const results: ProfileResult[] = [];
  const when = stamp();
  const wasmNames = tickbookWasmNames();
  try {
    for (const e of engines.filter((x) => x.family === 'tickbook')) {
      // One untimed run first so the profile shows optimised code.
      const warm = e.create(w1Shape(w));
      warm.run(e.prepare(w.warmup));
      warm.run(e.prepare(w.ops));
      const runner = e.create(w1Shape(w));
      runner.run(e.prepare(w.warmup));
      const prepared = e.prepare(w.ops);
      fullGc();
      progress(`profile · ${e.label}`);
      await session.post('Profiler.start');
      const t0 = performance.now();
      runner.run(prepared);
      const t1 = performance.now();
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      const base = join(dir, `profile-${e.key}-${when}`);
      writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
      nameWasmFrames(profile, wasmNames);
      const opsPerSec = w.ops.length / ((t1 - t0) / 1000);
      const svg = await flameGraphSvg(profile, `W1 · ${e.label} · ${fmtRate(opsPerSec)} orders/s`);
      writeFileSync(`${base}.svg`, svg);
      const top = topSelfTime(profile, PROFILE_TOP);
      results.push({
        key: e.key,
        label: e.label,
        opsPerSec,
        cpuprofile: `${base}.cpuprofile`,
        svg: `${base}.svg`,
        top,
      });
      const rows = [['self ms', '%', 'function', 'where']];
      for (const t of top) rows.push([t.ms.toFixed(1), t.percent.toFixed(1), t.name, t.where]);
      section(
        `profile · ${e.label} · ${fmtRate(opsPerSec)} orders/s under the profiler`,
        `${table(rows)}\nflame graph: ${base}.svg\nprofile:     ${base}.cpuprofile`,
      );
    }
  } finally {
    await session.post('Profiler.disable');
    session.disconnect();
  }
  return results;
}
