/**
 * Adapters for tickbook engines: the per-order API (`limit` / `market` /
 * `cancel`, one call per operation, refusals thrown), `submit` (one call per
 * operation, refusals as events) and the batch API (`apply`, 4,096 commands a
 * call). Any engine kind `createBook` accepts gets all three paths.
 */
import type { Book, BookConfig } from 'tickbook';
import {
  ChecksumAccumulator,
  type Ops,
  replayBatch,
  replayPerOrder,
  toCommand,
  toCommands,
} from 'tickbook/workloads';
import { BATCH_SIZE } from './constants';
import { freshCopy } from './fresh';
import type {
  BookRunner,
  BookShape,
  EngineAdapter,
  L2,
  MicroBook,
  PathKind,
  Prepared,
} from './types';

/** Makes a book of one engine kind. */
export type BookFactory = (config: BookConfig) => Book;

/**
 * The timed per-order loop. Self-contained (copied per engine by
 * {@link freshCopy}): side names and op codes are literals here.
 * Kinds: 1 cancel, 3 market, else GTC limit.
 */
function perOrderLoop(book: Book, ops: Ops): number {
  const { kind, id, side, price, qty } = ops;
  const n = ops.length;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    if (k === 1) {
      try {
        book.cancel(id[i]);
      } catch {
        refused++;
      }
    } else if (k === 3) {
      book.market({ id: id[i], side: side[i] === 0 ? 'buy' : 'sell', qty: qty[i] });
    } else {
      book.limit({ id: id[i], side: side[i] === 0 ? 'buy' : 'sell', price: price[i], qty: qty[i] });
    }
  }
  return refused;
}

/**
 * The timed submit loop: one `submit` per operation, refusals come back as a
 * `rejected` event instead of a throw. Kinds: 1 cancel, 3 market, else GTC limit.
 */
function submitLoop(book: Book, ops: Ops): number {
  const { kind, id, side, price, qty } = ops;
  const n = ops.length;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    let events: readonly { type: string }[];
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

/** The submit loop with a timer read around each call (latency runs). */
function submitTimedLoop(book: Book, ops: Ops, out: Float64Array): void {
  const { kind, id, side, price, qty } = ops;
  const n = ops.length;
  const now = performance.now.bind(performance);
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    const t0 = now();
    if (k === 1) book.submit({ kind: 'cancel', id: id[i] });
    else if (k === 3) {
      book.submit({ kind: 'market', id: id[i], side: side[i] === 0 ? 'buy' : 'sell', qty: qty[i] });
    } else {
      book.submit({
        kind: 'limit',
        id: id[i],
        side: side[i] === 0 ? 'buy' : 'sell',
        price: price[i],
        qty: qty[i],
      });
    }
    out[i] = (now() - t0) * 1e6;
  }
}

/** The per-order loop with a timer read around each call (latency runs). */
function perOrderTimedLoop(book: Book, ops: Ops, out: Float64Array): void {
  const { kind, id, side, price, qty } = ops;
  const n = ops.length;
  const now = performance.now.bind(performance);
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    const t0 = now();
    if (k === 1) {
      try {
        book.cancel(id[i]);
      } catch {}
    } else if (k === 3) {
      book.market({ id: id[i], side: side[i] === 0 ? 'buy' : 'sell', qty: qty[i] });
    } else {
      book.limit({ id: id[i], side: side[i] === 0 ? 'buy' : 'sell', price: price[i], qty: qty[i] });
    }
    out[i] = (now() - t0) * 1e6;
  }
}

/** The timed batch loop: one `apply` per prepared chunk. */
/**
 * Build each batch's command objects just before `apply`, as the per-order
 * loops build theirs just before each call: a million objects built ahead
 * would be read back from memory, not cache, and the comparison would be
 * between the ways of preparing the input rather than between the APIs.
 * (A fresh copy of this function is timed: what it uses comes in as arguments.)
 */
function batchLoop(book: Book, ops: Ops, build: typeof toCommands, size: number): number {
  for (let s = 0; s < ops.length; s += size)
    book.apply(build(ops, s, Math.min(ops.length, s + size)));
  return -1;
}

/** A book's full L2 depth as [price, qty] pairs, best first. */
export function l2Of(book: Pick<Book, 'depth'>): L2 {
  const d = book.depth();
  return {
    bids: d.bids.map((l) => [l.price, l.qty] as [number, number]),
    asks: d.asks.map((l) => [l.price, l.qty] as [number, number]),
  };
}

/** Bytes of a book's WebAssembly linear memory, when it has one (`book.memory`). */
export function linearMemoryBytes(book: Book): number {
  const memory = (book as { memory?: { buffer?: ArrayBufferLike } }).memory;
  return memory?.buffer?.byteLength ?? 0;
}

export function shapeConfig(engine: string, shape: BookShape): BookConfig {
  return { ...shape, engine: engine as BookConfig['engine'] };
}

/** What names a tickbook adapter: key `<engine>-<suffix>`, and the path's name in its label. */
export function tickbookNames(
  engine: string,
  suffix: string,
  label: string,
  pathName: string,
  path: PathKind,
): Pick<EngineAdapter, 'key' | 'label' | 'family' | 'engine' | 'path'> {
  return {
    key: `${engine}-${suffix}`,
    label: `tickbook ${label} · ${pathName}`,
    family: 'tickbook',
    engine,
    path,
  };
}

/** A verification run: `replay` feeds every checksum into a fresh accumulator. */
function checked(book: Book, replay: (acc: ChecksumAccumulator) => void) {
  const acc = new ChecksumAccumulator();
  replay(acc);
  return acc.result(book.size);
}

/** The runner of a path that makes one call per operation, timed as a whole or call by call. */
function perOperationRunner(
  book: Book,
  loop: (book: Book, ops: Ops) => number,
  timed: (book: Book, ops: Ops, out: Float64Array) => void,
  replay: (book: Book, ops: Ops, acc: ChecksumAccumulator) => void,
): BookRunner {
  return {
    run: (p: Prepared) => loop(book, p as Ops),
    runTimed: (p: Prepared, out: Float64Array) => timed(book, p as Ops, out),
    runChecked: (ops) => checked(book, (acc) => replay(book, ops, acc)),
    size: () => book.size,
    depth: () => l2Of(book),
  };
}

/** Per-order API adapter for one tickbook engine kind. */
export function tickbookPerOrder(
  engine: string,
  label: string,
  factory: BookFactory,
): EngineAdapter {
  const loop = freshCopy(perOrderLoop);
  const timed = freshCopy(perOrderTimedLoop);
  return {
    ...tickbookNames(engine, 'order', label, 'per-order', 'per-order'),
    prepare: (ops) => ops,
    create(shape): BookRunner {
      const book = factory(shapeConfig(engine, shape));
      return {
        ...perOperationRunner(book, loop, timed, replayPerOrder),
        outsideHeapBytes: () => linearMemoryBytes(book),
      };
    },
    micro(shape): MicroBook {
      const book = factory(shapeConfig(engine, shape));
      return {
        limit: (id, side, price, qty) => {
          book.limit({ id, side: side === 0 ? 'buy' : 'sell', price, qty });
        },
        cancel: (id) => {
          book.cancel(id);
        },
        modifyPrice: (id, price) => {
          book.modify({ id, price });
        },
      };
    },
  };
}

/** `submit` adapter (one call per order, refusals as events) for one tickbook engine kind. */
export function tickbookSubmit(engine: string, label: string, factory: BookFactory): EngineAdapter {
  const loop = freshCopy(submitLoop);
  const timed = freshCopy(submitTimedLoop);
  return {
    ...tickbookNames(engine, 'submit', label, 'per-order submit', 'submit'),
    prepare: (ops) => ops,
    create: (shape) =>
      perOperationRunner(factory(shapeConfig(engine, shape)), loop, timed, (book, ops, acc) => {
        for (let i = 0; i < ops.length; i++) acc.add(book.submit(toCommand(ops, i)));
      }),
  };
}

/** Batch API (`apply`) adapter for one tickbook engine kind. */
export function tickbookBatch(engine: string, label: string, factory: BookFactory): EngineAdapter {
  const loop = freshCopy(batchLoop);
  return {
    ...tickbookNames(engine, 'apply', label, 'batch apply', 'batch'),
    prepare: (ops) => ops,
    create(shape): BookRunner {
      const book = factory(shapeConfig(engine, shape));
      return {
        run: (p: Prepared) => loop(book, p as Ops, toCommands, BATCH_SIZE),
        runChecked: (ops) => checked(book, (acc) => replayBatch(book, ops, BATCH_SIZE, acc)),
        size: () => book.size,
        depth: () => l2Of(book),
      };
    },
  };
}
