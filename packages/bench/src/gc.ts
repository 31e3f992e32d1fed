/**
 * Garbage collection between runs, so one run's garbage is not collected
 * inside the next run's timing. `node dist/cli.js` runs without
 * `--expose-gc`, so the flag is set at run time and `gc` fetched from a new context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | undefined;

/** Runs a full garbage collection (twice, to also free what finalizers released). */
export function fullGc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
  gcFn();
}
