// One matching worker owns the book; gateway workers read the top of book
// straight from its shared memory and submit orders through the command ring.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  BookReader,
  type CommandResult,
  createCommandRing,
  createWasmBook,
  RingConsumer,
  type RingDescriptor,
  RingProducer,
} from 'tickbook';

const GATEWAYS = 2;
const self = new URL(import.meta.url);
const reply = (worker: Worker) => new Promise((ok) => worker.once('message', ok));

if (isMainThread) {
  const ring = createCommandRing({ producers: GATEWAYS }); // a SharedArrayBuffer inside
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const matcher = new Worker(self, { workerData: { role: 'matcher', ring, stop } });
  // The matcher hands over what readers need: the book's memory and a few numbers.
  const book = await reply(matcher);
  const gateways = Array.from(
    { length: GATEWAYS },
    (_, producer) => new Worker(self, { workerData: { role: 'gateway', ring, producer, book } }),
  );
  console.log(await Promise.all(gateways.map(reply)));
  Atomics.store(stop, 0, 1); // let the matcher finish
  console.log(await reply(matcher));
} else if (workerData.role === 'matcher') {
  // The only thread that ever changes the book.
  const { ring, stop }: { ring: RingDescriptor; stop: Int32Array } = workerData;
  const book = createWasmBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000 });
  const orders = new RingConsumer(ring);
  parentPort?.postMessage(book.readerDescriptor());
  while (Atomics.load(stop, 0) === 0) {
    // Apply what the gateways pushed; each result goes back to its gateway.
    if (orders.drain(book) === 0) orders.wait(1); // idle: sleep until an order comes (≤ 1 ms)
  }
  orders.drain(book);
  parentPort?.postMessage({ sequence: book.sequence, best: book.depth(1) });
} else {
  // A gateway: quotes around the current top of book, never messaging the matcher.
  const { ring, producer, book } = workerData;
  const reader = new BookReader(book);
  const orders = new RingProducer(ring, producer);
  let filled = 0;
  const settle = (r: CommandResult) => (filled += r.filled);
  for (let i = 1; i <= 10_000; i++) {
    const { bid, ask } = reader.topOfBook(); // consistent: never torn, never crossed
    const side = i % 2 ? 'buy' : 'sell';
    const price =
      side === 'buy' ? (ask?.price ?? 10_001) - (i % 3) : (bid?.price ?? 9_999) + (i % 3);
    const id = (producer + 1) * 1_000_000 + i;
    // push waits while the ring is full; false: take results first
    while (!orders.push({ kind: 'limit', id, side, price, qty: 1 + (i % 5) })) {
      for (let r = orders.takeResult(); r; r = orders.takeResult()) settle(r);
    }
    for (let r = orders.takeResult(); r; r = orders.takeResult()) settle(r);
  }
  while (orders.pending > 0) {
    const r = orders.takeResult();
    if (r) settle(r);
  }
  parentPort?.postMessage({ producer, filled, top: reader.topOfBook() });
}
