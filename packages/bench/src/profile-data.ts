/** The V8 CPU profile format (`.cpuprofile`) and a self-time summary of it. */

/** One node of a V8 CPU profile. */
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile as `Profiler.stop` returns it. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A function's self time. */
export interface SelfTime {
  name: string;
  /** `file:line`, or empty for runtime frames. */
  where: string;
  ms: number;
  percent: number;
}

/**
 * How long each sample stood for: from its timestamp to the next one's (the
 * last runs to `endTime`). `timeDeltas[i]` is the gap *before* sample i, so
 * charging it to sample i would charge the profiler's own start-up (before
 * the first sample, often milliseconds) to whatever that sample caught,
 * usually the inspector's `dispatch` of `Profiler.start`.
 */
export function sampleDurations(profile: CpuProfile): number[] {
  const n = profile.samples.length;
  const out = new Array<number>(n);
  let t = profile.startTime;
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    t += profile.timeDeltas[i] ?? 0;
    at.push(t);
  }
  for (let i = 0; i < n; i++) {
    out[i] = Math.max(0, (i + 1 < n ? at[i + 1] : profile.endTime) - at[i]);
  }
  return out;
}

/** Functions by self time, highest first. */
export function topSelfTime(profile: CpuProfile, limit: number): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, SelfTime>();
  const durations = sampleDurations(profile);
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const dt = durations[i];
    all += dt;
    if (!n) continue;
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const t = totals.get(key) ?? { name, where, ms: 0, percent: 0 };
    t.ms += dt / 1000;
    totals.set(key, t);
  }
  const list = [...totals.values()].sort((a, b) => b.ms - a.ms).slice(0, limit);
  for (const t of list) t.percent = all > 0 ? (100 * t.ms * 1000) / all : 0;
  return list;
}
