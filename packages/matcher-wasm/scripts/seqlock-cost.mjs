// What the seqlock costs the writer: W1 through the raw matcher exports of two
// builds (before / after), interleaved in one process, fresh book per run.
//   node scripts/seqlock-cost.mjs <before.wasm> [after.wasm] [rounds]
// Needs `npm run build` (core's dist provides W1 and the command encoder).
import { readFileSync } from 'node:fs';
import { CommandBuffer } from '../../core/dist/index.js';
import { generateW1, OP_CANCEL, OP_MARKET } from '../../core/dist/workloads.js';

const [beforePath, afterPath = new URL('../build/matcher.wasm', import.meta.url), roundsArg] =
  process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const modules = {
  before: new WebAssembly.Module(readFileSync(beforePath)),
  after: new WebAssembly.Module(readFileSync(afterPath)),
};
const w1 = generateW1();
const STP_DEFAULT = 254;

function book(module) {
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 8192, shared: true });
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  ex.init(w1.minPrice, w1.maxPrice, 100_000, 0);
  return { ex, memory };
}

function perOrder(ex, ops) {
  for (let i = 0; i < ops.length; i++) {
    const k = ops.kind[i];
    if (k === OP_CANCEL) ex.cancel(ops.id[i]);
    else if (k === OP_MARKET) ex.market(ops.id[i], ops.side[i], ops.qty[i], 1, 0, 0, STP_DEFAULT);
    else ex.limit(ops.id[i], ops.side[i], ops.price[i], ops.qty[i], 0, 0, 0, STP_DEFAULT);
  }
}

function encode(ops) {
  const buf = new CommandBuffer(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const k = ops.kind[i];
    if (k === OP_CANCEL) buf.cancel(ops.id[i]);
    else if (k === OP_MARKET) buf.market(ops.id[i], ops.side[i], ops.qty[i]);
    else buf.limit(ops.id[i], ops.side[i], ops.price[i], ops.qty[i]);
  }
  return buf;
}
const warm = encode(w1.warmup);
const timed = encode(w1.ops);

function batch(ex, memory, buf) {
  const cmdBase = ex.geometry(2);
  const cap = ex.geometry(5);
  const u8 = new Uint8Array(memory.buffer);
  for (let start = 0; start < buf.length; start += cap) {
    const n = Math.min(cap, buf.length - start);
    u8.set(buf.bytes.subarray(start * 40, (start + n) * 40), cmdBase);
    let done = 0;
    while (done < n) done = ex.applyBatch(done, n);
  }
}

const results = { before: { perOrder: [], batch: [] }, after: { perOrder: [], batch: [] } };
for (let r = 0; r < rounds; r++) {
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    let b = book(modules[name]);
    perOrder(b.ex, w1.warmup);
    let t = process.hrtime.bigint();
    perOrder(b.ex, w1.ops);
    results[name].perOrder.push(w1.ops.length / (Number(process.hrtime.bigint() - t) / 1e9));
    b = book(modules[name]);
    batch(b.ex, b.memory, warm);
    t = process.hrtime.bigint();
    batch(b.ex, b.memory, timed);
    results[name].batch.push(w1.ops.length / (Number(process.hrtime.bigint() - t) / 1e9));
  }
}
// Median, and best of the rounds (the least disturbed run on a shared machine).
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const best = (xs) => Math.max(...xs);
for (const path of ['perOrder', 'batch']) {
  for (const [label, stat] of [
    ['median', median],
    ['best', best],
  ]) {
    const b = stat(results.before[path]);
    const a = stat(results.after[path]);
    console.log(
      `${path.padEnd(8)} ${label.padEnd(6)} before ${(b / 1e6).toFixed(2)} M/s  after ${(a / 1e6).toFixed(2)} M/s  ` +
        `change ${(((a - b) / b) * 100).toFixed(1)}%  (${(1e9 / a - 1e9 / b).toFixed(1)} ns/order)`,
    );
  }
}
