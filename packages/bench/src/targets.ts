/** The project's speed targets, checked against this run's figures (reported, never asserted). */
import { type Ceiling, timesNative } from './ceiling';
import { TARGETS } from './constants';
import type { LatencyResult } from './latency';
import { fmtNs, fmtRate } from './report';
import type { ScalingTable } from './scaling';
import type { TargetCheck, ThroughputResult } from './types';

function check(
  name: string,
  target: string,
  actual: string,
  met: boolean,
  factor: number,
): TargetCheck {
  return { name, target, actual, met, note: met ? 'met' : `missed by ${factor.toFixed(2)}×` };
}

/** Every target check that this run's figures allow. */
export function checkTargets(
  w1: readonly ThroughputResult[],
  latency: readonly LatencyResult[],
  scaling: readonly ScalingTable[],
  ceiling?: Ceiling,
): TargetCheck[] {
  const out: TargetCheck[] = [];
  const by = new Map(w1.map((r) => [r.key, r]));
  const peer = by.get('peer')?.opsPerSec.median;
  const rate = (key: string, min: number, label: string) => {
    const r = by.get(key);
    if (!r) {
      out.push({
        name: label,
        target: `≥ ${fmtRate(min)} orders/s`,
        actual: 'not measured',
        met: false,
        note: 'path not in this run (absent from this build, or filtered out)',
      });
      return;
    }
    const v = r.opsPerSec.median;
    out.push(
      check(label, `≥ ${fmtRate(min)} orders/s`, `${fmtRate(v)} orders/s`, v >= min, min / v),
    );
    if (peer) {
      const ratio = v / peer;
      out.push(
        check(
          `${label} vs peer`,
          `≥ ${TARGETS.peerRatio}× nodejs-order-book`,
          `${ratio.toFixed(1)}×`,
          ratio >= TARGETS.peerRatio,
          TARGETS.peerRatio / ratio,
        ),
      );
    }
  };
  // The fastest WASM batch path: binary commands when the build has them, else `apply`.
  const batchKey = by.has('wasm-binary') ? 'wasm-binary' : 'wasm-apply';
  rate(batchKey, TARGETS.wasmBatchOps, `W1 WASM batch (${batchKey})`);
  rate('wasm-order', TARGETS.wasmPerOrderOps, 'W1 WASM per-order');
  rate('wasm-submit', TARGETS.wasmSubmitOps, 'W1 WASM per-order submit');
  const batch = by.get(batchKey);
  if (batch && ceiling && !('skipped' in ceiling)) {
    const x = timesNative(batch, ceiling);
    const most = TARGETS.wasmBatchNativeTimes;
    out.push(
      check(
        `W1 WASM batch (${batchKey}) vs native ceiling`,
        `≤ ${most}× its time`,
        `${x.toFixed(2)}×`,
        x <= most,
        x / most,
      ),
    );
  }
  const apply = by.get('wasm-apply');
  const submit = by.get('wasm-submit');
  if (apply && submit) {
    const x = apply.opsPerSec.median / submit.opsPerSec.median;
    const least = TARGETS.applyVsSubmit;
    out.push(
      check('W1 WASM apply() ÷ submit()', `≥ ${least}×`, `${x.toFixed(2)}×`, x >= least, least / x),
    );
  }
  const big = scaling
    .find((t) => t.name === 'resting book size')
    ?.points.find((p) => p.x === 1_000_000)?.opsPerSec[batchKey];
  if (big) {
    const min = TARGETS.bigBookBatchOps;
    out.push(
      check(
        `1,000,000 resting orders · ${batchKey}`,
        `≥ ${fmtRate(min)} orders/s`,
        `${fmtRate(big.median)} orders/s`,
        big.median >= min,
        min / big.median,
      ),
    );
  }
  for (const l of latency) {
    if (!(l.key.endsWith('-order') || l.key.endsWith('-submit')) || l.key === 'peer') continue;
    const { p99, p999 } = l.overall;
    out.push(
      check(
        `p99 · ${l.label}`,
        `≤ ${fmtNs(TARGETS.p99Ns)}`,
        fmtNs(p99),
        p99 <= TARGETS.p99Ns,
        p99 / TARGETS.p99Ns,
      ),
    );
    out.push(
      check(
        `p99.9 · ${l.label}`,
        `≤ ${fmtNs(TARGETS.p999Ns)}`,
        fmtNs(p999),
        p999 <= TARGETS.p999Ns,
        p999 / TARGETS.p999Ns,
      ),
    );
  }
  for (const t of scaling) {
    for (const [key, f] of Object.entries(t.spreadFactor)) {
      out.push(
        check(
          `flat over ${t.name} · ${key}`,
          '≤ 1.50× slowest/fastest',
          `${f.toFixed(2)}×`,
          t.flat[key],
          f / 1.5,
        ),
      );
    }
  }
  return out;
}
