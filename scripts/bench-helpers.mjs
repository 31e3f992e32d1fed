// Pieces the bench scripts share: the W1 stream as the bench's binary path
// sends it, the event reader it uses, and how a result file is named.
import { readFileSync } from 'node:fs';

/** Commands per `CommandBuffer`, as the bench's binary path sends them. */
export const BUFFER_COMMANDS = 4096;

/** `ops` (tickbook/workloads `Ops`) as command buffers of one build (`workloads` is its module). */
export function commandBuffers(workloads, ops) {
  const out = [];
  for (let s = 0; s < ops.length; s += BUFFER_COMMANDS) {
    out.push(workloads.toCommandBuffer(ops, s, Math.min(ops.length, s + BUFFER_COMMANDS)));
  }
  return out;
}

/**
 * An `applyEncoded` event sink that reads every event's type, as the bench's
 * binary path does, and counts the trades (`tb` is the build's tickbook module).
 */
export function tradeCounter(tb) {
  const counter = { trades: 0, sink: undefined };
  const trade = tb.EV_TRADE;
  counter.sink = (c) => {
    const n = c.count;
    for (let i = 0; i < n; i++) if (c.typeAt(i) === trade) counter.trades++;
  };
  return counter;
}

/** This machine's CPU model name. */
export function cpuModel() {
  return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
}

/** A time for a result file's name: 2026-12-04T11-10-44 (add the Z). */
export function fileStamp() {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}
