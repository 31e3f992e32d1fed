#!/usr/bin/env node
// One measured process of `npm run bench:cachegrind`: builds a W1 book and,
// when asked, runs the W1 operations through one tickbook path. Run under
// cachegrind twice with different operation counts; the difference divided by
// the extra operations is the steady cost of one operation (start-up, the
// warm-up and the JIT compiling the loop cancel out).
//
//   node scripts/cachegrind-run.mjs <core dist> <binary|order|apply|submit> <warm-up orders> <operations> <0|1: run them>
import { pathToFileURL } from 'node:url';
import { commandBuffers, tradeCounter } from './bench-helpers.mjs';

const [dist, path, warmS, opsS, runS] = process.argv.slice(2);
const tb = await import(pathToFileURL(`${dist}/index.js`).href);
const wl = await import(pathToFileURL(`${dist}/workloads.js`).href);
const warmup = Number(warmS);
const ops = Number(opsS);
const w1 = wl.generateW1({ warmup, ops });
const book = tb.createBook({
  engine: 'wasm',
  minPrice: 1,
  maxPrice: 20_000,
  capacity: warmup + ops + 10_000,
});
const counted = tradeCounter(tb);
const buffers = (o) => commandBuffers(wl, o);
if (path === 'binary') {
  for (const b of buffers(w1.warmup)) book.applyEncoded(b, counted.sink);
  // encoded in both runs, so only applying them differs
  const encoded = buffers(w1.ops);
  if (runS === '1') for (const b of encoded) book.applyEncoded(b, counted.sink);
} else if (path === 'order') {
  wl.replayPerOrder(book, w1.warmup);
  if (runS === '1') wl.replayPerOrder(book, w1.ops);
} else if (path === 'apply') {
  wl.replayBatch(book, w1.warmup);
  if (runS === '1') applyLoop(w1.ops);
} else if (path === 'submit') {
  wl.replayBatch(book, w1.warmup);
  if (runS === '1') submitLoop(w1.ops);
} else {
  throw new Error(`path: binary, order, apply or submit, got ${path}`);
}

/**
 * The bench's batch loop: each batch's command objects are built just
 * before `apply`, inside the measured part; the events are not read.
 */
function applyLoop(ops) {
  for (let s = 0; s < ops.length; s += 4096) {
    book.apply(wl.toCommands(ops, s, Math.min(ops.length, s + 4096)));
  }
}

/**
 * The bench's submit loop (`submitLoop` in packages/bench/src/engine-tickbook.ts,
 * kept the same so the counts are of what the bench times; that one is
 * TypeScript copied fresh per engine and cannot be imported here): one
 * `submit` per operation, the first event's type read.
 */
function submitLoop(ops) {
  const { kind, id, side, price, qty } = ops;
  let refused = 0;
  for (let i = 0; i < ops.length; i++) {
    const k = kind[i];
    let events;
    if (k === 1) events = book.submit({ kind: 'cancel', id: id[i] });
    else if (k === 3) {
      events = book.submit({
        kind: 'market',
        id: id[i],
        side: side[i] === 0 ? 'buy' : 'sell',
        qty: qty[i],
      });
    } else {
      events = book.submit({
        kind: 'limit',
        id: id[i],
        side: side[i] === 0 ? 'buy' : 'sell',
        price: price[i],
        qty: qty[i],
      });
    }
    if (events[0].type === 'rejected') refused++;
  }
  return refused;
}
console.log(JSON.stringify({ resting: book.size, trades: counted.trades }));
