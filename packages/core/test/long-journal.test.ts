/**
 * Recovery streams the journal: a journal far larger than a small heap
 * replays in a child process limited to that heap, to exactly the book that
 * wrote it. (Recovery used to read the whole file and decode every command
 * into one array first: a few million commands took gigabytes.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { ByteWriter } from '../src/durability/byte-codec';
import {
  beginRecord,
  encodeJournalHeader,
  endRecord,
  writeCommand,
} from '../src/durability/journal-codec';
import { type Command, createBook, type EngineKind } from '../src/index';
import { tempDir } from './support/temp-dir';

const CONFIG = { minPrice: 1, maxPrice: 1000, capacity: 10_000 };
/** Commands in the journal, and per record (a batch). */
const COMMANDS = 3_000_000;
const PER_RECORD = 1000;
/** The child's heap: far less than the decoded journal would take. */
const HEAP_MB = 64;

/** A steady stream that never crosses: 2,500 orders rest, then each new order comes with the cancel of an old one. */
function command(t: number): Command {
  const limit = (id: number): Command => {
    const side = id % 2 === 0 ? 'buy' : 'sell';
    const price = side === 'buy' ? 1 + (id % 400) : 600 + (id % 400);
    return { kind: 'limit', id, side, price, qty: 1 + (id % 9) };
  };
  if (t < 2500) return limit(t + 1);
  const u = t - 2500;
  return u % 2 === 0 ? limit(2501 + u / 2) : { kind: 'cancel', id: (u - 1) / 2 + 1 };
}

describe('a long journal', () => {
  const dir = tempDir('long-journal');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays in a child process whose heap is a fraction of the journal, to the same book', () => {
    const journalPath = join(dir, 'book.journal');
    const fd = openSync(journalPath, 'w');
    writeSync(fd, encodeJournalHeader(resolveConfig({ ...CONFIG, engine: 'js' })));
    // the same commands straight into a book: what recovery must rebuild
    const expected = createBook({ ...CONFIG, engine: 'wasm' });
    const w = new ByteWriter();
    let sequence = 0;
    for (let i = 0; i < COMMANDS; i += PER_RECORD) {
      const batch: Command[] = [];
      for (let j = i; j < i + PER_RECORD; j++) batch.push(command(j));
      const before = expected.sequence;
      expected.apply(batch);
      // every command of this stream applies, so the journal holds them all
      expect(expected.sequence - before).toBe(batch.length);
      const start = beginRecord(w, sequence + 1);
      for (const c of batch) writeCommand(w, c);
      endRecord(w, start, batch.length);
      sequence += batch.length;
      writeSync(fd, w.written());
      w.reset();
    }
    closeSync(fd);
    expect(statSync(journalPath).size).toBeGreaterThan(60 * 1024 * 1024);
    for (const engine of ['wasm', 'js'] as EngineKind[]) {
      const child = spawnSync(
        process.execPath,
        [
          `--max-old-space-size=${HEAP_MB}`,
          resolve(import.meta.dirname, 'fixtures/recover-long.mjs'),
          journalPath,
          engine,
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      expect(child.status, child.stderr).toBe(0);
      const out = JSON.parse(child.stdout);
      expect(out).toEqual({
        sequence: COMMANDS,
        hash: expected.stateHash(),
        size: expected.size,
        replayed: COMMANDS,
      });
    }
  });
});
