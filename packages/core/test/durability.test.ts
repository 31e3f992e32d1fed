import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { ByteWriter } from '../src/durability/byte-codec';
import { crc32 } from '../src/durability/crc32';
import { beginRecord, endRecord } from '../src/durability/journal-codec';
import { writeConfig } from '../src/durability/snapshot';
import {
  type BookConfig,
  type BookEvent,
  type Command,
  createBook,
  decodeJournal,
  type EngineKind,
  JOURNAL_VERSION,
  type JournalableBook,
  JournaledBook,
  MemorySink,
  recover,
  restoreBook,
  SNAPSHOT_VERSION,
  snapshotBook,
  stateHash,
} from '../src/index';
import { dumpBook } from './support/book-state';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';
import { codeOf } from './support/run-command';

const space = commandSpace();
/** Snapshots restore across engines: taken from either, restored into either. */
const ENGINES: EngineKind[] = ['js', 'wasm'];

const fresh = (engine: EngineKind = 'js', config: BookConfig = space.config) =>
  createBook({ ...config, engine }) as JournalableBook;

function run(book: JournalableBook, commands: readonly Command[]): BookEvent[] {
  const events: BookEvent[] = [];
  for (const c of commands) events.push(...book.submit(c));
  return events;
}

describe('snapshots', () => {
  it('restores a version-1 snapshot (no time, no expiries) into either engine', () => {
    const config = resolveConfig({ ...space.config, engine: 'js' });
    const w = new ByteWriter();
    w.u32(0x53424b54).u32(1).u32(0);
    const bodyStart = w.length;
    writeConfig(w, config);
    w.f64(4).f64(2); // sequence, order count
    // f64 id | u8 side | f64 price | f64 remaining | f64 filled | f64 owner | u8 stp | u8 postOnly
    w.f64(1).u8(0).f64(104).f64(5).f64(1).f64(0).u8(0).u8(0);
    w.f64(2).u8(1).f64(107).f64(3).f64(0).f64(9).u8(3).u8(1);
    const bodyEnd = w.length;
    w.patchU32(8, bodyEnd - bodyStart);
    w.u32(crc32(w.written(), bodyStart, bodyEnd));
    const bytes = w.toBytes();
    for (const engine of ENGINES) {
      const book = restoreBook(bytes, { engine });
      expect(book.time).toBe(0);
      expect(book.sequence).toBe(4);
      expect(book.order(1)).toMatchObject({ remaining: 5, filled: 1 });
      expect(book.order(1)?.expiresAt).toBeUndefined();
      expect(book.order(2)).toMatchObject({
        owner: 9,
        stp: 'decrement-and-cancel',
        postOnly: true,
      });
      expect(new DataView(book.snapshot().buffer).getUint32(4, true)).toBe(SNAPSHOT_VERSION);
    }
    expect(SNAPSHOT_VERSION).toBe(4);
  });

  it('restores a version-2 snapshot (no icebergs) into either engine, and refuses bad iceberg records', () => {
    const config = resolveConfig({ ...space.config, engine: 'js' });
    const snapshot = (version: number, iceberg?: [number, number]) => {
      const w = new ByteWriter();
      w.u32(0x53424b54).u32(version).u32(0);
      const bodyStart = w.length;
      writeConfig(w, config);
      w.f64(4).f64(3).f64(1); // sequence, time, order count
      w.f64(1).u8(0).f64(104).f64(5).f64(1).f64(0).u8(0).u8(0).f64(9); // expiresAt 9
      if (iceberg) w.f64(iceberg[0]).f64(iceberg[1]);
      const bodyEnd = w.length;
      w.patchU32(8, bodyEnd - bodyStart);
      w.u32(crc32(w.written(), bodyStart, bodyEnd));
      return w.toBytes();
    };
    for (const engine of ENGINES) {
      const book = restoreBook(snapshot(2), { engine });
      expect(book.time).toBe(3);
      expect(book.order(1)).toMatchObject({ remaining: 5, filled: 1, expiresAt: 9 });
      expect(book.order(1)?.displayQty).toBeUndefined();
      const ice = restoreBook(snapshot(3, [2, 1]), { engine });
      expect(ice.order(1)).toMatchObject({ remaining: 5, displayQty: 2, displayed: 1 });
      expect(ice.bestBid()).toEqual({ price: 104, qty: 1, count: 1 });
      for (const bad of [
        [2, 3],
        [0, 4],
        [2, 0],
      ] as [number, number][]) {
        expect(() => restoreBook(snapshot(3, bad), { engine })).toThrow(/CORRUPT_DATA/);
      }
    }
  });

  it('a snapshot taken anywhere, restored and replayed gives the same events and state', () => {
    fc.assert(
      fc.property(
        commandsArbitrary(space),
        fc.nat(),
        fc.constantFrom(...ENGINES),
        fc.constantFrom(...ENGINES),
        (commands, cut, from, to) => {
          const k = cut % (commands.length + 1);
          const straight = fresh(from);
          const all = commands.map((c) => straight.submit(c));

          const first = fresh(from);
          run(first, commands.slice(0, k));
          const restored = restoreBook(snapshotBook(first), { engine: to }) as JournalableBook;
          expect(restored.engine).toBe(to);
          expect(stateHash(restored)).toBe(stateHash(first));
          const rest = commands.slice(k).map((c) => restored.submit(c));
          expect(rest).toEqual(all.slice(k));
          expect(stateHash(restored)).toBe(stateHash(straight));
          expect(dumpBook(restored)).toEqual(dumpBook(straight));
          expect(restored.sequence).toBe(straight.sequence);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('keeps queue order, fill state, owner, self-trade mode and post-only flags', () => {
    const book = fresh();
    book.limit({ id: 1, side: 'buy', price: 104, qty: 5, owner: 2, stp: 'cancel-both' });
    book.limit({ id: 2, side: 'buy', price: 104, qty: 3, postOnly: true });
    book.limit({ id: 3, side: 'sell', price: 106, qty: 4 });
    book.market({ id: 4, side: 'sell', qty: 2 });
    const restored = restoreBook(snapshotBook(book));
    expect(restored.order(1)).toEqual(book.order(1));
    expect(restored.order(1)).toMatchObject({ filled: 2, stp: 'cancel-both', owner: 2 });
    expect(restored.order(2)).toMatchObject({ postOnly: true });
    expect(restored.ordersAt('buy', 104).map((o) => o.id)).toEqual([1, 2]);
  });

  it('refuses every truncation and every single bit flip, returning no book', () => {
    const book = fresh();
    run(book, [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5, owner: 1 },
      { kind: 'limit', id: 2, side: 'sell', price: 106, qty: 7 },
    ]);
    const bytes = snapshotBook(book);
    for (let n = 0; n < bytes.length; n++) {
      expect(codeOf(() => restoreBook(bytes.subarray(0, n)))).toBe('CORRUPT_DATA');
    }
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      expect(['CORRUPT_DATA', 'UNSUPPORTED_VERSION']).toContain(codeOf(() => restoreBook(flipped)));
    }
  });
});

describe('journal and recovery', () => {
  /** A journaled book over `commands`, with a snapshot taken after `k` of them. */
  function journaled(commands: readonly Command[], k: number) {
    const sink = new MemorySink();
    const book = new JournaledBook(fresh(), sink);
    let snapshot: Uint8Array | undefined;
    commands.forEach((c, i) => {
      if (i === k) snapshot = snapshotBook(book.inner);
      book.submit(c);
    });
    if (k >= commands.length) snapshot = snapshotBook(book.inner);
    return { book, sink, snapshot: snapshot! };
  }

  it('recovers the exact state from the journal alone, or from a snapshot plus the journal', () => {
    fc.assert(
      fc.property(commandsArbitrary(space), fc.nat(), (commands, cut) => {
        const k = cut % (commands.length + 1);
        const { book, sink, snapshot } = journaled(commands, k);
        const expected = stateHash(book.inner);
        const fromJournal = recover({ journal: sink.bytes() });
        expect(stateHash(fromJournal.book)).toBe(expected);
        expect(fromJournal.tornTail).toBe(false);
        const fromBoth = recover({ journal: sink.bytes(), snapshot });
        expect(stateHash(fromBoth.book)).toBe(expected);
        expect(fromBoth.replayed).toBe(
          book.sequence - (restoreBook(snapshot) as JournalableBook).sequence,
        );
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('journals per-order calls and skips refused ones', () => {
    const sink = new MemorySink();
    const book = new JournaledBook(fresh(), sink);
    book.limit({ id: 1, side: 'buy', price: 104, qty: 5 });
    expect(codeOf(() => book.cancel(99))).toBe('UNKNOWN_ORDER');
    book.modify({ id: 1, qty: 3 });
    book.market({ id: 2, side: 'sell', qty: 1, owner: 3 });
    book.reduce({ id: 1, qty: 1 });
    expect(codeOf(() => book.reduce({ id: 99, qty: 1 }))).toBe('UNKNOWN_ORDER');
    book.cancel(1);
    const recovered = recover({ journal: sink.bytes() });
    expect(recovered.replayed).toBe(5);
    expect(stateHash(recovered.book)).toBe(stateHash(book.inner));
  });

  it('journals reduce, notional / protected market orders, expiries, time, icebergs and stops (format version 5)', () => {
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5 },
      { kind: 'reduce', id: 1, qty: 2 },
      { kind: 'limit', id: 2, side: 'buy', price: 104, qty: 5 },
      { kind: 'limit', id: 3, side: 'sell', price: 106, qty: 5 },
      { kind: 'market', id: 4, side: 'buy', notional: 300, owner: 5 },
      { kind: 'market', id: 5, side: 'sell', qty: 4, protectionPrice: 104, timeInForce: 'FOK' },
      {
        kind: 'market',
        id: 6,
        side: 'buy',
        notional: 107,
        protectionPrice: 106,
        stp: 'cancel-both',
      },
      { kind: 'limit', id: 7, side: 'buy', price: 101, qty: 2, expiresAt: 50 },
      { kind: 'limit', id: 8, side: 'buy', price: 101, qty: 2, expiresAt: 40 },
      { kind: 'advance-time', time: 45 },
      { kind: 'limit', id: 9, side: 'sell', price: 108, qty: 9, displayQty: 2 },
      { kind: 'reduce', id: 9, qty: 4 },
      { kind: 'stop', id: 10, side: 'buy', trigger: 107, qty: 3, owner: 2, expiresAt: 90 },
      { kind: 'stop', id: 11, side: 'sell', trigger: 102, qty: 2, price: 100, timeInForce: 'IOC' },
      { kind: 'modify', id: 10, trigger: 109, qty: 2 },
    ];
    const { sink, book } = journaled(commands, 0);
    const bytes = sink.bytes();
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(JOURNAL_VERSION);
    expect(JOURNAL_VERSION).toBe(5);
    expect(decodeJournal(bytes).records.map((r) => r.command)).toEqual(commands);
    const recovered = recover({ journal: bytes });
    expect(stateHash(recovered.book)).toBe(stateHash(book.inner));
    expect(recovered.book.ordersAt('buy', 104).map((o) => o.qty)).toEqual([4]);
    expect(recovered.book.bestAsk()).toEqual({ price: 106, qty: 2, count: 1 });
    expect(recovered.book.time).toBe(45);
    expect(recovered.book.ordersAt('buy', 101)).toEqual([{ id: 7, qty: 2, owner: 0 }]);
    expect(recovered.book.order(7)?.expiresAt).toBe(50);
    expect(recovered.book.order(9)).toMatchObject({ remaining: 5, displayed: 2, displayQty: 2 });
    expect(recovered.book.ordersAt('sell', 108)).toEqual([{ id: 9, qty: 2, owner: 0 }]);
  });

  it('still reads version-1 journals (old limit and market layouts)', () => {
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5 },
      { kind: 'limit', id: 2, side: 'buy', price: 103, qty: 5 },
    ];
    // A version-5 header without its base sequence (added in version 5).
    const header = journaled([], 0).sink.bytes().slice(0, -8);
    // A record in the old layouts:
    // limit  f64 id | u8 side | f64 price | f64 qty | u8 tif | u8 postOnly | f64 owner | u8 stp
    // market f64 id | u8 side | f64 qty | u8 tif | f64 owner | u8 stp
    const w = new ByteWriter();
    const start = beginRecord(w, 1);
    for (const c of commands) {
      if (c.kind !== 'limit') continue;
      w.u8(0).f64(c.id).u8(0).f64(c.price).f64(c.qty).u8(0).u8(2).f64(0).u8(255);
    }
    w.u8(1).f64(3).u8(1).f64(7).u8(0).f64(0).u8(255);
    endRecord(w, start, 3);
    const old = new Uint8Array(header.length + w.length);
    old.set(header);
    old.set(w.written(), header.length);
    new DataView(old.buffer).setUint32(4, 1, true);
    expect(decodeJournal(old).records.map((r) => r.command)).toEqual([
      ...commands,
      { kind: 'market', id: 3, side: 'sell', qty: 7 },
    ]);
    expect(recover({ journal: old }).book.ordersAt('buy', 104)).toEqual([]);
    expect(recover({ journal: old }).book.ordersAt('buy', 103)).toEqual([
      { id: 2, qty: 3, owner: 0 },
    ]);
  });

  it('still reads version-4 journals (no base sequence in the header)', () => {
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5 },
      { kind: 'stop', id: 2, side: 'sell', trigger: 102, qty: 2 },
      { kind: 'modify', id: 2, trigger: 101 },
    ];
    const { book, sink } = journaled(commands, 0);
    const v5 = sink.bytes();
    const headerLength = 8 + 25;
    expect(new DataView(v5.buffer).getFloat64(headerLength, true)).toBe(0); // base sequence
    const v4 = new Uint8Array(v5.length - 8);
    v4.set(v5.subarray(0, headerLength));
    v4.set(v5.subarray(headerLength + 8), headerLength);
    new DataView(v4.buffer).setUint32(4, 4, true);
    const decoded = decodeJournal(v4);
    expect(decoded.baseSequence).toBe(0);
    expect(decoded.records.map((r) => r.command)).toEqual(commands);
    expect(stateHash(recover({ journal: v4 }).book)).toBe(stateHash(book.inner));
  });

  it('drops a torn last record (crash mid-write) and keeps everything before it', () => {
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5 },
      { kind: 'limit', id: 2, side: 'buy', price: 103, qty: 5 },
      { kind: 'limit', id: 3, side: 'sell', price: 107, qty: 5 },
    ];
    const { sink } = journaled(commands, 0);
    const whole = sink.bytes();
    const wholeLength = recover({ journal: whole }).validLength;
    const lengthOfLast = whole.length - journaled(commands.slice(0, 2), 0).sink.bytes().length;
    for (let cut = 1; cut < lengthOfLast; cut++) {
      const torn = whole.subarray(0, whole.length - cut);
      const recovered = recover({ journal: torn });
      expect(recovered.tornTail).toBe(true);
      expect(recovered.book.sequence).toBe(2);
      expect(recovered.book.order(3)).toBeUndefined();
      expect(recovered.validLength).toBe(wholeLength - lengthOfLast);
    }
  });

  it('refuses corruption before the last record, other versions, other books and gaps', () => {
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 104, qty: 5 },
      { kind: 'limit', id: 2, side: 'buy', price: 103, qty: 5 },
      { kind: 'cancel', id: 1 },
    ];
    const { sink, snapshot } = journaled(commands, 3);
    const journal = sink.bytes();
    const headerLength = 8 + 25 + 8; // magic, version, config, base sequence
    // A flipped bit inside the first record's payload.
    const flipped = journal.slice();
    flipped[headerLength + 12] ^= 0x10;
    expect(codeOf(() => recover({ journal: flipped }))).toBe('CORRUPT_DATA');
    const version = journal.slice();
    version[4] = 9;
    expect(codeOf(() => recover({ journal: version }))).toBe('UNSUPPORTED_VERSION');
    const other = new JournaledBook(
      fresh('js', { ...space.config, capacity: 99 }),
      new MemorySink(),
    );
    expect(codeOf(() => recover({ journal: (other.sink as MemorySink).bytes(), snapshot }))).toBe(
      'CONFIG_MISMATCH',
    );
    // Remove the middle record: sequence 1 then 3.
    const records = recover({ journal }).validLength;
    expect(records).toBe(journal.length);
    const firstEnd = headerLength + new DataView(journal.buffer).getUint32(headerLength, true) + 8;
    const secondLength = new DataView(journal.buffer).getUint32(firstEnd, true) + 8;
    const gapped = new Uint8Array(journal.length - secondLength);
    gapped.set(journal.subarray(0, firstEnd));
    gapped.set(journal.subarray(firstEnd + secondLength), firstEnd);
    expect(codeOf(() => recover({ journal: gapped }))).toBe('JOURNAL_GAP');
  });
});

describe('a failed journal write', () => {
  /** A memory journal whose `failAt`-th write (counting the header as the first) fails once. */
  class FlakySink extends MemorySink {
    writes = 0;
    constructor(private readonly failAt: number) {
      super();
    }
    override write(bytes: Uint8Array): void {
      this.writes++;
      if (this.writes === this.failAt) throw new Error('disk full');
      super.write(bytes);
    }
  }

  for (const engine of ENGINES) {
    it(`stops the book: it refuses every later command, and the journal holds exactly what was acknowledged (${engine})`, () => {
      const sink = new FlakySink(4); // header, two records, then the failure
      const book = new JournaledBook(fresh(engine), sink);
      book.limit({ id: 1, side: 'buy', price: 101, qty: 5 });
      book.apply([{ kind: 'limit', id: 2, side: 'sell', price: 104, qty: 3 }]);
      expect(() => book.limit({ id: 3, side: 'buy', price: 102, qty: 1 })).toThrow('disk full');
      // the sink works again, but the book no longer trusts its journal
      expect(codeOf(() => book.cancel(1))).toBe('JOURNAL_FAILED');
      expect(codeOf(() => book.apply([{ kind: 'cancel', id: 2 }]))).toBe('JOURNAL_FAILED');
      expect(codeOf(() => book.advanceTime(5))).toBe('JOURNAL_FAILED');
      expect(book.size).toBe(3); // order 3 was applied before its write failed
      const recovered = recover({ journal: sink.bytes() });
      expect(recovered.book.sequence).toBe(2);
      expect(dumpBook(recovered.book)).toEqual(dumpBook(replay(engine, 2)));
    });
  }

  function replay(engine: EngineKind, n: number): JournalableBook {
    const b = fresh(engine);
    const commands: Command[] = [
      { kind: 'limit', id: 1, side: 'buy', price: 101, qty: 5 },
      { kind: 'limit', id: 2, side: 'sell', price: 104, qty: 3 },
    ];
    b.apply(commands.slice(0, n));
    return b;
  }
});
