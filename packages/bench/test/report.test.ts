/** The performance report: perf's CSV read right, and the Markdown page built from a run's figures. */
import { describe, expect, it } from 'vitest';
import { timesNative } from '../src/ceiling';
import { parsePerfCsv } from '../src/counters';
import { markdownReport, type ReportInput } from '../src/report-md';
import { summarize } from '../src/stats';

describe('perf stat output', () => {
  it('reads counted events and lists the unsupported ones', () => {
    const { counts, unsupported } = parsePerfCsv(
      [
        '123456789,,cycles,1000000,100.00,,',
        '<not supported>,,instructions,0,100.00,,',
        '4567,,branch-misses,1000000,100.00,,',
        '<not counted>,,LLC-load-misses,0,0.00,,',
        '',
      ].join('\n'),
    );
    expect(counts).toEqual({ cycles: 123456789, 'branch-misses': 4567 });
    expect(unsupported).toEqual(['instructions', 'LLC-load-misses']);
  });
});

describe('the native ceiling ratio', () => {
  const spread = (samples: number[]) => ({
    median: [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)],
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
  });
  const path = (samples: number[], ceilingAround?: number[]) => ({
    key: 'p',
    label: 'p',
    ops: 1,
    opsPerSec: spread(samples),
    nsPerOp: 1,
    proof: '',
    ...(ceilingAround ? { ceilingAround } : {}),
  });
  const ceiling = (samples: number[]) => ({
    label: 'c',
    build: 'g++',
    opsPerSec: spread(samples),
    nsPerOp: 1,
    checksums: { fills: 0, filledQty: 0, notional: 0, refusedCancels: 0, resting: 0 },
  });

  it('sets each timed run against the ceiling around it, the median of those', () => {
    // runs at 10M and 20M with the ceiling at 40M and 45M around them: 4.0× and 2.25×
    expect(timesNative(path([10e6, 20e6], [40e6, 45e6]), ceiling([1]))).toBeCloseTo(3.125);
    // a machine slowing down through the run: each run still reads 2×, where
    // median against median (30M ÷ 10M) would read 3×
    expect(
      timesNative(path([20e6, 10e6, 5e6], [40e6, 20e6, 10e6]), ceiling([50e6, 30e6, 10e6, 10e6])),
    ).toBe(2);
  });

  it('falls back to median against median without a pairing', () => {
    expect(timesNative(path([10e6, 20e6, 30e6]), ceiling([40e6]))).toBe(2);
    expect(timesNative(path([10e6, 20e6], [40e6]), ceiling([40e6]))).toBe(2);
  });
});

describe('markdown report', () => {
  const latency = summarize(Float64Array.from({ length: 1000 }, (_, i) => 100 + i));
  const rate = (median: number) => ({
    median,
    min: median * 0.9,
    max: median * 1.1,
    samples: [median],
  });
  const input: ReportInput = {
    date: '2026-12-04T00:00:00.000Z',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 8e9,
      node: 'v20.0.0',
      v8: '11',
      platform: 'linux x64',
    },
    workload: 'W1',
    runs: 3,
    w1: [
      {
        key: 'wasm-binary',
        label: 'binary batch',
        ops: 1e6,
        opsPerSec: rate(2e7),
        nsPerOp: 50,
        proof: 'checksums',
      },
      { key: 'peer', label: 'peer', ops: 1e5, opsPerSec: rate(2e5), nsPerOp: 5000, proof: 'L2' },
    ],
    ceiling: {
      label: 'native C++ price ladder (ceiling)',
      build: 'g++ 12 -O2 -std=c++17',
      opsPerSec: {
        median: 5e7,
        min: 4.5e7,
        max: 5.5e7,
        samples: [4.5e7, 5e7, 5.5e7, 5e7, 5e7, 5e7],
      },
      nsPerOp: 20,
      checksums: { fills: 1, filledQty: 1, notional: 1, refusedCancels: 0, resting: 0 },
    },
    latency: [
      { key: 'wasm-order', label: 'per order', timerOverheadNs: 20, overall: latency, byKind: {} },
    ],
    scaling: [
      {
        name: 'resting book size',
        xLabel: 'resting orders',
        ops: 1000,
        points: [
          { x: 1000, restingAtEnd: 1000, opsPerSec: { 'wasm-binary': rate(2e7) } },
          { x: 1_000_000, restingAtEnd: 1_000_000, opsPerSec: { 'wasm-binary': rate(5e6) } },
        ],
        spreadFactor: { 'wasm-binary': 4 },
        flat: { 'wasm-binary': false },
      },
    ],
    counters: { available: false, why: 'this machine does not expose hardware counters to perf' },
    profiles: [
      {
        key: 'wasm-binary',
        label: 'binary batch',
        opsPerSec: 1.9e7,
        cpuprofile: '/x/profile-wasm-binary.cpuprofile',
        svg: '/x/profile-wasm-binary.svg',
        top: [
          { name: 'applyBatch', where: 'wasm', ms: 500, percent: 60 },
          { name: 'runEncoded', where: 'wasm-book.ts', ms: 100, percent: 12 },
          { name: 'sink', where: 'bench', ms: 50, percent: 6 },
          { name: 'fourth', where: 'x', ms: 1, percent: 0.1 },
        ],
      },
    ],
    targets: [
      { name: 'W1 batch', target: '≥ 28M', actual: '20M', met: false, note: 'missed by 1.4×' },
    ],
    jsonFile: '/x/full-2026.json',
  };
  const page = markdownReport(input as ReportInput);

  it('has every section the report promises', () => {
    for (const heading of [
      '## Machine and workload',
      '## Throughput (W1)',
      '## Ceiling',
      '## Latency per call',
      '## Sustained load',
      '## Scaling',
      '## Hardware counters',
      '## Top hotspots',
      '## Assessment',
    ]) {
      expect(page).toContain(heading);
    }
  });

  it('puts figures where they belong: ratio to the peer, p95, counters or why not, top 3 hotspots', () => {
    expect(page).toContain('| binary batch | 20.00M |');
    expect(page).toContain('100.0×');
    expect(page).toContain('| p50 | p95 | p99 |');
    // 1,000 samples 100…1099 ns: p50 599, p95 1,049, p99 1,089 (nearest rank)
    expect(page).toContain('| 599 ns | 1.05 µs | 1.09 µs |');
    expect(page).toContain(
      'Not available: this machine does not expose hardware counters to perf.',
    );
    expect(page).toContain('`profile-wasm-binary.svg`');
    expect(page).toContain('| 60.0 | 500.0 | applyBatch | wasm |');
    expect(page).not.toContain('fourth');
  });

  it('gives each path as a multiple of the native ceiling’s time, or says why there is none', () => {
    expect(page).toContain('| native C++ price ladder (ceiling) | 50.00M | 20 | 1.00× |');
    expect(page).toContain('| binary batch | 20.00M | 50 | 2.50× |');
    expect(page).toContain('6 runs on fresh books');
    expect(page).toContain('binary batch takes 2.50× its time per order');
    const none = markdownReport({
      ...input,
      ceiling: { skipped: 'no g++ on PATH' },
    } as ReportInput);
    expect(none).toContain('## Ceiling\n\n_no g++ on PATH._');
  });

  it('assesses from the figures: memory-bound where the big book is far slower', () => {
    expect(page).toContain('wasm-binary: memory-bound at 1,000,000 resting orders: 4.0× slower');
    expect(page).toContain('Targets missed in this run: W1 batch (20M, wanted ≥ 28M)');
  });
});
