#!/usr/bin/env node
// One process of `npm run bench:ab -- <rev> --interleaved`: two builds of
// tickbook (their packages/core/dist folders) run the same W1 stream on the
// binary batch path, a few command buffers at a time in turn (the order swaps
// every turn), so whatever the shared machine does in the meantime slows both
// alike. Prints one JSON line: orders/s of each build.
//
//   node scripts/ab-interleaved-run.mjs <distA> <distB> <w1|100k|1m>
import { pathToFileURL } from 'node:url';
import { commandBuffers, tradeCounter } from './bench-helpers.mjs';

const [distA, distB, book = 'w1'] = process.argv.slice(2);
/** Warm-up orders (the resting book) and timed operations per book size. */
const SIZES = { w1: [10_000, 1_000_000], '100k': [100_000, 300_000], '1m': [1_000_000, 300_000] };
/** Buffers a build runs before the other takes its turn (about 1-10 ms). */
const TURN = 4;

if (!SIZES[book]) throw new Error(`book size: one of ${Object.keys(SIZES).join(', ')}`);
const [warmup, ops] = SIZES[book];

async function build(dist) {
  const tb = await import(pathToFileURL(`${dist}/index.js`).href);
  const workloads = await import(pathToFileURL(`${dist}/workloads.js`).href);
  return { tb, workloads };
}
const A = await build(distA);
const B = await build(distB);
// one stream for both (A's generator), encoded by each build's own writer
const w1 = A.workloads.generateW1({ warmup, ops });

function runner(b) {
  const counted = tradeCounter(b.tb);
  const r = { counted, sink: counted.sink, ms: 0, buffers: commandBuffers(b.workloads, w1.ops) };
  r.book = b.tb.createBook({
    engine: 'wasm',
    // the bench's book shape: a band much wider than W1's prices
    minPrice: 1,
    maxPrice: 20_000,
    capacity: warmup + ops + 10_000,
  });
  for (const buf of commandBuffers(b.workloads, w1.warmup)) r.book.applyEncoded(buf, r.sink);
  counted.trades = 0;
  return r;
}
const a = runner(A);
const b = runner(B);
globalThis.gc?.();
for (let s = 0, turn = 0; s < a.buffers.length; s += TURN, turn++) {
  for (const r of turn % 2 === 0 ? [a, b] : [b, a]) {
    const end = Math.min(s + TURN, r.buffers.length);
    const t0 = performance.now();
    for (let i = s; i < end; i++) r.book.applyEncoded(r.buffers[i], r.sink);
    r.ms += performance.now() - t0;
  }
}
if (a.book.size !== b.book.size || a.counted.trades !== b.counted.trades) {
  throw new Error(
    `the builds did different work: ${a.book.size}/${b.book.size} resting, ${a.counted.trades}/${b.counted.trades} trades`,
  );
}
console.log(JSON.stringify({ book, a: ops / (a.ms / 1000), b: ops / (b.ms / 1000) }));
