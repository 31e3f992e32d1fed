/**
 * Event objects keep their integer fields in place. V8 gives a field the
 * representation of the first value stored in it; numbers read from a
 * Float64Array would make every numeric field a "double" field, which holds
 * its value in a separate 16-byte heap number allocated with each event
 * (a trade event: 200 bytes instead of 88). events.ts makes the fields tagged
 * before any event exists; this checks the result in a child process with
 * V8's test natives, after W1 has run long enough for the decoding to be
 * optimised (synchronously: no background compile to wait for).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('event objects', () => {
  it('hold integer fields in place, not in separate heap numbers (both engines)', () => {
    const script = resolve(import.meta.dirname, 'fixtures/event-fields.mjs');
    const out = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--no-concurrent-recompilation', script],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const report = JSON.parse(out) as Record<
      string,
      Record<string, { inPlace: number; boxed: number }>
    >;
    for (const engine of ['wasm', 'js']) {
      const counts = report[engine];
      // W1's last batch has every common event type
      for (const type of ['accepted', 'trade', 'level-changed', 'cancelled', 'rejected']) {
        expect(counts[type]?.inPlace, `${engine} ${type}`).toBeGreaterThan(0);
        expect(counts[type]?.boxed, `${engine} ${type}`).toBe(0);
      }
    }
  });
});
