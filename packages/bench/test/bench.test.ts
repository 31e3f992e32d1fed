/**
 * Unit tests of the benchmark's own machinery (the measured figures are not
 * asserted anywhere: CI runs `npm run bench -- --quick` for the checksums).
 */
import { describe, expect, it } from 'vitest';
import { flameTree } from '../src/flamegraph';
import { type CpuProfile, sampleDurations, topSelfTime } from '../src/profile-data';
import { table } from '../src/report';
import { percentile, spread, summarize } from '../src/stats';
import { l2Difference } from '../src/w1-run';
import { wasmFrameName, wasmFunctionNames } from '../src/wasm-names';

describe('stats', () => {
  it('spread gives median, min and max in any sample order', () => {
    expect(spread([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('percentiles are nearest-rank', () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(v, 0.5)).toBe(500);
    expect(percentile(v, 0.99)).toBe(990);
    expect(percentile(v, 0.999)).toBe(999);
    const s = summarize(Float64Array.from([5, 1, 3]));
    expect(s).toMatchObject({ count: 3, p50: 3, max: 5, mean: 3 });
  });
});

describe('L2 comparison (peer proof)', () => {
  const a = { bids: [[99, 5] as [number, number]], asks: [[101, 7] as [number, number]] };
  it('finds no difference between equal depths', () => {
    expect(l2Difference(a, structuredClone(a))).toBeUndefined();
  });
  it('names the first differing level', () => {
    const b = { bids: [[99, 5] as [number, number]], asks: [[101, 6] as [number, number]] };
    expect(l2Difference(a, b)).toBe('asks level 0: 7@101 vs 6@101');
    expect(l2Difference(a, { bids: [], asks: a.asks })).toBe('bids level 0: 5@99 vs none');
  });
});

describe('profile summaries', () => {
  const frame = (functionName: string, lineNumber = 0) => ({
    functionName,
    url: 'file:///x/packages/core/dist/index.js',
    lineNumber,
    columnNumber: 0,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { ...frame('(root)'), url: '' }, children: [2] },
      { id: 2, callFrame: frame('run', 9), children: [3, 4] },
      { id: 3, callFrame: frame('match', 19) },
      { id: 4, callFrame: frame('cancel', 29) },
    ],
    startTime: 0,
    endTime: 700,
    samples: [3, 3, 3, 4, 2, 3],
    timeDeltas: [100, 100, 100, 100, 100, 100],
  };

  it('charges each sample the time until the next one, not the gap before it', () => {
    // the profiler takes 10 ms to start: that gap sits before the first sample
    const startGap: CpuProfile = {
      ...profile,
      nodes: [...profile.nodes, { id: 5, callFrame: { ...frame('dispatch'), url: '' } }],
      endTime: 10_600,
      samples: [5, 3, 3, 4],
      timeDeltas: [10_000, 200, 200, 100],
    };
    expect(sampleDurations(startGap)).toEqual([200, 200, 100, 100]);
    const top = topSelfTime(startGap, 3);
    expect(top.map((t) => [t.name, Math.round(t.ms * 1000)])).toEqual([
      ['match', 300],
      ['dispatch', 200],
      ['cancel', 100],
    ]);
  });

  it('ranks functions by self time', () => {
    const top = topSelfTime(profile, 2);
    expect(top.map((t) => [t.name, t.ms, Math.round(t.percent)])).toEqual([
      ['match', 0.4, 67],
      ['cancel', 0.1, 17],
    ]);
    expect(top[0].where).toBe('packages/core/dist/index.js:20');
  });

  it('builds a flame tree of inclusive times', () => {
    const tree = flameTree(profile);
    expect(tree.value).toBe(600);
    const run = tree.children[0];
    expect(run.name).toBe('run index.js:10');
    expect(run.value).toBe(600);
    expect(run.children.map((c) => c.value).sort()).toEqual([100, 400]);
  });
});

describe('tables', () => {
  it('aligns numbers right and text left', () => {
    const out = table([
      ['path', 'orders/s'],
      ['a', '1.5M'],
      ['longer', '12.25M'],
    ]).split('\n');
    expect(out[0]).toBe('path    orders/s');
    expect(out[2]).toBe(`a${' '.repeat(11)}1.5M`);
    expect(out[3]).toBe('longer    12.25M');
  });
});

describe('WASM frame names', () => {
  // A two-function module: function 0 named "inner" by the name section, function 1 exported as "run".
  const ascii = (t: string) => [...t].map((c) => c.charCodeAt(0));
  const bytes = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type: () -> ()
    ...[0x03, 0x03, 0x02, 0x00, 0x00], // two functions of type 0
    ...[0x07, 0x07, 0x01, 0x03, ...ascii('run'), 0x00, 0x01], // export "run" = function 1
    ...[0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b], // two empty bodies
    ...[0x00, 0x0f, 0x04, ...ascii('name'), 0x01, 0x08, 0x01, 0x00, 0x05, ...ascii('inner')],
  ]);

  it('reads the name section and the exports', () => {
    const wasm = (
      globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown } }
    ).WebAssembly;
    expect(() => new wasm.Module(bytes)).not.toThrow();
    const names = wasmFunctionNames(bytes);
    expect([...names].sort()).toEqual([
      [0, 'inner'],
      [1, 'run'],
    ]);
    expect(wasmFrameName('wasm-function[1]', names)).toBe('run (wasm #1)');
    expect(wasmFrameName('wasm-function[7]', names)).toBe('wasm-function[7]');
    expect(wasmFrameName('dispatch', names)).toBe('dispatch');
  });
});
