/** Small statistics helpers: medians, spreads, percentiles. */
import type { LatencySummary, Spread } from './types';

/** Median, min and max of `samples`. */
export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], samples: [...samples] };
}

/** Nearest-rank percentile `q` (0…1) of an ascending array. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** p50 / p95 / p99 / p99.9 / max / mean of latencies in ns; sorts `values` in place. */
export function summarize(values: Float64Array): LatencySummary {
  values.sort();
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    p99: percentile(values, 0.99),
    p999: percentile(values, 0.999),
    max: values.length > 0 ? values[values.length - 1] : Number.NaN,
    mean: values.length > 0 ? sum / values.length : Number.NaN,
  };
}
