/**
 * Checkpoints with real files: a snapshot plus a fresh journal after it, and
 * recovery from whatever a crash at any step of a checkpoint leaves on disk.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplaceStep, replaceHooks, tempPathOf } from '../src/durability/files';
import {
  type Command,
  createBook,
  decodeJournal,
  type EngineKind,
  type JournalableBook,
  JournaledBook,
  MemorySink,
  MemorySnapshotStore,
  openJournaledBook,
  recover,
  restoreBook,
} from '../src/index';
import {
  commandArbitrary,
  commandSpace,
  commandsArbitrary,
  PROPERTY_RUNS,
} from './support/commands';
import { codeOf } from './support/run-command';
import { tempDir } from './support/temp-dir';

const ENGINES: EngineKind[] = ['wasm', 'js'];
const space = commandSpace();
/** Bytes of a journal header: magic, version, config, base sequence. */
const HEADER = 8 + 25 + 8;

const dirs: string[] = [];
afterEach(() => {
  replaceHooks.afterStep = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir removed after the test. */
function testDir(): string {
  const dir = tempDir('checkpoint');
  dirs.push(dir);
  return dir;
}

const filesOf = (dir: string) => ({
  journalPath: join(dir, 'book.journal'),
  snapshotPath: join(dir, 'book.snapshot'),
});

/** Recover from the files as a restarted process would (read only: the live book keeps them open). */
function recoverFiles(dir: string, engine: EngineKind) {
  const { journalPath, snapshotPath } = filesOf(dir);
  const snapshot = existsSync(snapshotPath) ? readFileSync(snapshotPath) : undefined;
  return recover({ journal: readFileSync(journalPath), snapshot, engine });
}

/** A book of `engine` that ran `commands`, not journaled: what every recovery must match. */
function straight(engine: EngineKind, commands: readonly Command[]): JournalableBook {
  const book = createBook({ ...space.config, engine }) as JournalableBook;
  book.apply(commands);
  return book;
}

describe.each(ENGINES)('checkpoints (%s engine)', (engine) => {
  it('recovery from the files after any mix of commands and checkpoints is the live book', () => {
    fc.assert(
      fc.property(
        commandsArbitrary(space),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom(...ENGINES),
        (commands, cuts, reopenIn) => {
          const dir = tempDir('checkpoint');
          try {
            const files = filesOf(dir);
            const at = new Set(cuts.map((c) => c % (commands.length + 1)));
            const { book, sink } = openJournaledBook({
              ...files,
              config: space.config,
              engine,
              fsync: 'never',
            });
            let checkpointedAt = 0;
            const matches = () => {
              const r = recoverFiles(dir, engine);
              expect(r.book.stateHash()).toBe(book.stateHash());
              expect(r.book.sequence).toBe(book.sequence);
              expect(r.replayed).toBe(book.sequence - checkpointedAt);
            };
            for (let i = 0; i <= commands.length; i++) {
              if (at.has(i)) {
                const info = book.checkpoint();
                checkpointedAt = book.sequence;
                expect(info.sequence).toBe(book.sequence);
                // The journal is now only a header starting after the snapshot.
                expect(statSync(files.journalPath).size).toBe(HEADER);
                const journal = decodeJournal(readFileSync(files.journalPath));
                expect(journal.baseSequence).toBe(book.sequence);
                expect(journal.records).toEqual([]);
                expect(statSync(files.snapshotPath).size).toBe(info.snapshotBytes);
                matches();
              }
              if (i < commands.length) book.submit(commands[i]);
              if (at.has(i)) matches(); // one command after the checkpoint, in the new journal
            }
            matches();
            expect(book.stateHash()).toBe(straight(engine, commands).stateHash());
            const live = book.stateHash();
            const sequence = book.sequence;
            sink.close();

            // A restarted process (in either engine) opens the same files and keeps going.
            const again = openJournaledBook({ ...files, engine: reopenIn, fsync: 'never' });
            expect(again.book.engine).toBe(reopenIn);
            expect(again.book.stateHash()).toBe(live);
            expect(again.book.sequence).toBe(sequence);
            expect(again.recovered?.replayed).toBe(sequence - checkpointedAt);
            expect(again.recovered?.snapshotSequence).toBe(
              at.size > 0 ? checkpointedAt : undefined,
            );
            again.book.apply(commands.slice(0, 20));
            again.book.checkpoint();
            again.book.apply(commands.slice(20, 40));
            const r = recoverFiles(dir, engine);
            expect(r.book.stateHash()).toBe(again.book.stateHash());
            expect(r.book.sequence).toBe(again.book.sequence);
            again.sink.close();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a crash at any step of a checkpoint recovers the acknowledged state, and journalling goes on', () => {
    fc.assert(
      fc.property(
        commandsArbitrary(space),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (commands, c1, c2, earlier) => {
          const dir = tempDir('checkpoint');
          try {
            const live = join(dir, 'live');
            mkdirSync(live);
            const files = filesOf(live);
            const cut2 = c2 % (commands.length + 1);
            const cut1 = c1 % (cut2 + 1);
            const { book, sink } = openJournaledBook({
              ...files,
              config: space.config,
              engine,
              fsync: 'batch',
            });
            book.apply(commands.slice(0, cut1));
            // Sometimes an earlier checkpoint, so "old" means an old snapshot and journal.
            if (earlier) book.checkpoint();
            book.apply(commands.slice(cut1, cut2));
            const acknowledged = { hash: book.stateHash(), sequence: book.sequence };

            // Copy the directory as a crash would leave it: before, then after every step.
            const crashes: string[] = [];
            const copy = (label: string) => {
              const to = join(dir, `crash-${crashes.length}-${label}`);
              cpSync(live, to, { recursive: true });
              crashes.push(to);
            };
            copy('before');
            replaceHooks.afterStep = (step: ReplaceStep, path: string) =>
              copy(`${step}-${basename(path)}`);
            book.checkpoint();
            replaceHooks.afterStep = undefined;
            expect(crashes.map((c) => basename(c).replace(/^crash-\d+-/, ''))).toEqual([
              'before',
              'temp-written-book.snapshot',
              'renamed-book.snapshot',
              'temp-written-book.journal',
              'renamed-book.journal',
            ]);
            sink.close();

            const all = straight(engine, commands);
            for (const crash of crashes) {
              // A crash mid-write of a temporary file leaves part of it.
              const torn = `${crash}-torn`;
              cpSync(crash, torn, { recursive: true });
              for (const f of readdirSync(torn).filter((name) => name.endsWith('.tmp'))) {
                truncateSync(join(torn, f), statSync(join(torn, f)).size >> 1);
              }
              for (const at of [crash, torn]) {
                const reopened = openJournaledBook({ ...filesOf(at), engine, fsync: 'never' });
                expect(reopened.book.stateHash()).toBe(acknowledged.hash);
                expect(reopened.book.sequence).toBe(acknowledged.sequence);
                expect(readdirSync(at).filter((f) => f.endsWith('.tmp'))).toEqual([]);
                // It keeps journalling, checkpoints again and recovers the rest too.
                reopened.book.apply(commands.slice(cut2));
                expect(reopened.book.stateHash()).toBe(all.stateHash());
                const mid = recoverFiles(at, engine);
                expect(mid.book.stateHash()).toBe(all.stateHash());
                reopened.book.checkpoint();
                reopened.sink.close();
                const end = recoverFiles(at, engine);
                expect(end.replayed).toBe(0);
                expect(end.book.stateHash()).toBe(all.stateHash());
              }
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: Math.max(20, PROPERTY_RUNS / 10) },
    );
  });

  it('a checkpoint that fails part-way leaves the book journalling safely', () => {
    const dir = testDir();
    const files = filesOf(dir);
    const [commands] = fc.sample(
      fc.array(commandArbitrary(space), { minLength: 60, maxLength: 60 }),
      { numRuns: 1, seed: 7 },
    );
    const { book, sink } = openJournaledBook({ ...files, config: space.config, engine });
    book.apply(commands.slice(0, 20));
    book.checkpoint();
    const first = book.sequence;
    book.apply(commands.slice(20, 30));

    // The snapshot's temporary file cannot be written: nothing changes.
    mkdirSync(tempPathOf(files.snapshotPath));
    expect(() => book.checkpoint()).toThrow(/EISDIR/);
    rmSync(tempPathOf(files.snapshotPath), { recursive: true });
    expect(restoreBook(readFileSync(files.snapshotPath)).sequence).toBe(first);
    expect(decodeJournal(readFileSync(files.journalPath)).baseSequence).toBe(first);
    book.apply(commands.slice(30, 40));
    expect(recoverFiles(dir, engine).book.stateHash()).toBe(book.stateHash());

    // The new journal cannot be written: the new snapshot is in place, the old
    // journal stays the journal and the book keeps appending to it.
    mkdirSync(tempPathOf(files.journalPath));
    const second = book.sequence;
    expect(() => book.checkpoint()).toThrow(/EISDIR/);
    rmSync(tempPathOf(files.journalPath), { recursive: true });
    expect(restoreBook(readFileSync(files.snapshotPath)).sequence).toBe(second);
    expect(decodeJournal(readFileSync(files.journalPath)).baseSequence).toBe(first);
    book.apply(commands.slice(40));
    const r = recoverFiles(dir, engine);
    expect(r.book.stateHash()).toBe(book.stateHash());
    expect(r.replayed).toBe(book.sequence - second);

    // The next checkpoint goes through.
    book.checkpoint();
    expect(statSync(files.journalPath).size).toBe(HEADER);
    sink.close();
    const reopened = openJournaledBook({ ...files, engine });
    expect(reopened.book.stateHash()).toBe(straight(engine, commands).stateHash());
    reopened.sink.close();
  });
});

describe('checkpoint files', () => {
  const limit = (id: number, price: number): Command => ({
    kind: 'limit',
    id,
    side: 'buy',
    price,
    qty: 1,
  });

  it('a journal started by a checkpoint refuses to recover without its snapshot', () => {
    const dir = testDir();
    const files = filesOf(dir);
    const { book, sink } = openJournaledBook({ ...files, config: space.config });
    book.apply([limit(1, 101), limit(2, 102)]);
    const older = book.snapshot();
    book.checkpoint();
    book.apply([limit(3, 103)]);
    book.checkpoint();
    book.apply([limit(4, 104)]);
    sink.close();
    const journal = readFileSync(files.journalPath);
    expect(codeOf(() => recover({ journal }))).toBe('JOURNAL_GAP');
    expect(codeOf(() => recover({ journal, snapshot: older }))).toBe('JOURNAL_GAP');
    rmSync(files.snapshotPath);
    expect(codeOf(() => openJournaledBook(files))).toBe('JOURNAL_GAP');
    // Even with no record after the checkpoint: a header-only journal says where it starts.
    const empty = journal.subarray(0, HEADER);
    expect(codeOf(() => recover({ journal: empty }))).toBe('JOURNAL_GAP');
  });

  it('a snapshot with no journal (or an empty one) recovers to the snapshot', () => {
    const dir = testDir();
    const files = filesOf(dir);
    const first = openJournaledBook({ ...files, config: space.config });
    first.book.apply([limit(1, 101), limit(2, 102)]);
    first.book.checkpoint();
    const hash = first.book.stateHash();
    first.sink.close();
    for (const journal of ['missing', 'empty']) {
      if (journal === 'missing') rmSync(files.journalPath);
      else writeFileSync(files.journalPath, '');
      const { book, sink, recovered } = openJournaledBook(files);
      expect(book.stateHash()).toBe(hash);
      expect(recovered).toMatchObject({ replayed: 0, snapshotSequence: 2 });
      expect(decodeJournal(readFileSync(files.journalPath)).baseSequence).toBe(2);
      sink.close();
    }
  });

  it('opens a version-4 journal (before checkpoints) and checkpoints it into version 5', () => {
    const dir = testDir();
    const files = filesOf(dir);
    const commands = [limit(1, 101), limit(2, 102), { kind: 'cancel', id: 1 } as Command];
    const sink = new MemorySink();
    const book = new JournaledBook(createBook(space.config) as JournalableBook, sink);
    book.apply(commands);
    const v5 = sink.bytes();
    const v4 = new Uint8Array(v5.length - 8);
    v4.set(v5.subarray(0, HEADER - 8));
    v4.set(v5.subarray(HEADER), HEADER - 8);
    new DataView(v4.buffer).setUint32(4, 4, true);
    writeFileSync(files.journalPath, v4);
    const opened = openJournaledBook(files);
    expect(opened.recovered?.replayed).toBe(3);
    expect(opened.book.stateHash()).toBe(book.stateHash());
    opened.book.checkpoint();
    opened.sink.close();
    const journal = readFileSync(files.journalPath);
    expect(new DataView(journal.buffer, journal.byteOffset).getUint32(4, true)).toBe(5);
    expect(recoverFiles(dir, 'js').book.stateHash()).toBe(book.stateHash());
  });

  it('without a snapshot path nothing changes: no checkpoint, no clean-up', () => {
    const dir = testDir();
    const files = filesOf(dir);
    writeFileSync(tempPathOf(files.journalPath), 'not ours to remove');
    const { book, sink } = openJournaledBook({
      journalPath: files.journalPath,
      config: space.config,
    });
    book.apply([limit(1, 101)]);
    const size = statSync(files.journalPath).size;
    expect(codeOf(() => book.checkpoint())).toBe('INVALID_CONFIG');
    expect(statSync(files.journalPath).size).toBe(size);
    expect(existsSync(files.snapshotPath)).toBe(false);
    expect(existsSync(tempPathOf(files.journalPath))).toBe(true);
    sink.close();
    expect(codeOf(() => new JournaledBook(book.inner, new MemorySink()).checkpoint())).toBe(
      'INVALID_CONFIG',
    );
  });

  it('checkpoints in memory: a snapshot store and a sink that rotates', () => {
    const sink = new MemorySink();
    const snapshots = new MemorySnapshotStore();
    const book = new JournaledBook(createBook(space.config) as JournalableBook, sink, {
      snapshots,
    });
    book.apply([limit(1, 101), limit(2, 102)]);
    expect(book.checkpoint()).toEqual({ sequence: 2, snapshotBytes: snapshots.bytes?.length });
    expect(sink.size).toBe(HEADER);
    book.apply([limit(3, 103)]);
    const r = recover({ journal: sink.bytes(), snapshot: snapshots.bytes });
    expect(r).toMatchObject({ replayed: 1, snapshotSequence: 2 });
    expect(r.book.stateHash()).toBe(book.stateHash());
  });

  it('a group-commit sync in flight during a checkpoint still completes', async () => {
    const dir = testDir();
    const files = filesOf(dir);
    const { book, sink } = openJournaledBook({ ...files, config: space.config, fsync: 'group' });
    book.apply([limit(1, 101)]);
    const synced = new Promise<Error | null>((done) => sink.sync(done));
    book.checkpoint(); // the old file's descriptor stays open until that sync is done
    book.apply([limit(2, 102)]);
    expect(await synced).toBeNull();
    await new Promise<void>((done, fail) => sink.sync((e) => (e ? fail(e) : done())));
    book.apply([limit(3, 103)]);
    sink.close();
    const r = recoverFiles(dir, 'js');
    expect(r).toMatchObject({ replayed: 2, snapshotSequence: 1 });
    expect(r.book.stateHash()).toBe(book.stateHash());
  });
});
