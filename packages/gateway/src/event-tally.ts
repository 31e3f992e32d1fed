import type { BookEvent } from 'tickbook';
import { ownerOf } from './ids';
import type { RestingCounts } from './limits';
import type { CounterChild, GatewayMetrics } from './metrics';

/** What one engine call's events add up to, for the metrics and the stream sequences. */
export interface Tally {
  l2: number;
  orders: number;
  trades: number;
  qty: number;
}

/**
 * Count `events` (one engine call's, in order) into `tally`, keep each
 * account's held-order count in `resting`, and report each refusal code. A
 * local book and a cluster read replica count the same way.
 */
export function tallyEvents(
  events: readonly BookEvent[],
  resting: RestingCounts,
  tally: Tally,
  onRejected?: (code: string) => void,
): Tally {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    switch (e.type) {
      case 'level-changed':
        tally.l2++;
        break;
      case 'trade': {
        tally.trades++;
        tally.qty += e.qty;
        // A maker left at 0 is gone, unless it is an iceberg refreshed from its reserve at once.
        if (e.makerRemaining === 0) {
          const next = events[i + 1];
          if (!(next !== undefined && next.type === 'refreshed' && next.id === e.makerId)) {
            resting.add(ownerOf(e.makerId), -1);
          }
        }
        if (e.takerRemaining === 0) resting.add(ownerOf(e.takerId), -1);
        break;
      }
      case 'cancelled':
        if (e.remaining === 0) resting.add(ownerOf(e.id), -1);
        break;
      case 'accepted':
        tally.orders++;
        resting.add(ownerOf(e.id), 1);
        break;
      case 'rejected':
        onRejected?.(e.code);
        break;
    }
  }
  return tally;
}

/**
 * Count a symbol's refusals by code: the labelled counter is made on a
 * code's first refusal and kept, so counting costs an addition.
 */
export function rejectCounter(metrics: GatewayMetrics, symbol: string): (code: string) => void {
  const children = new Map<string, CounterChild>();
  return (code) => {
    let child = children.get(code);
    if (!child) {
      child = metrics.rejects.labels({ symbol, code });
      children.set(code, child);
    }
    child.inc();
  };
}
