/**
 * The worker side of the thread benchmarks ({@link measureReaderThroughput},
 * {@link measureRingThroughput}). Node cannot start a worker from TypeScript,
 * so the worker is a small CommonJS script that imports the bench's built
 * roles (`dist/thread-roles.js`, next to the running bundle, or under the
 * package when running from source) and runs one of them.
 */
import { Worker } from 'node:worker_threads';

/** Control words shared by a benchmark's threads (Int32 indexes). */
export const CTL_READY = 0; // workers attached
export const CTL_START = 1; // 1: go
export const CTL_DONE = 2; // 1: the writer has finished
export const CTL_INTS = 4;

/** URL of the built roles (bench-roles.ts) the workers import. */
function bundleUrl(): string {
  const here = import.meta.url;
  return /\.[cm]?js$/.test(here)
    ? new URL('./thread-roles.js', here).href
    : new URL('../../dist/thread-roles.js', here).href;
}

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.bundle).then((t) => {
  const ctl = new Int32Array(workerData.control);
  const ready = () => {
    Atomics.add(ctl, ${CTL_READY}, 1);
    Atomics.notify(ctl, ${CTL_READY});
    while (Atomics.load(ctl, ${CTL_START}) === 0) Atomics.wait(ctl, ${CTL_START}, 0, 50);
  };
  parentPort.postMessage(t.runBenchWorker(workerData, ready));
});
`;

/** Start a benchmark worker; resolves with what its role returned. */
export function startBenchWorker<T>(data: Record<string, unknown>): {
  worker: Worker;
  result: Promise<T>;
} {
  const worker = new Worker(SCRIPT, { eval: true, workerData: { ...data, bundle: bundleUrl() } });
  const result = new Promise<T>((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`benchmark worker exited with ${code}`)));
  });
  return { worker, result };
}

/** Block the calling thread until `count` workers have attached. */
export function awaitReady(control: Int32Array, count: number): void {
  for (let v = Atomics.load(control, CTL_READY); v < count; v = Atomics.load(control, CTL_READY)) {
    Atomics.wait(control, CTL_READY, v, 50);
  }
}
