/**
 * A real crash: a child process journals batches to a file and is killed with
 * SIGKILL mid-run; recovery from the file must hold every acknowledged command.
 * Runs against the built package (the test command builds it first).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import {
  type Book,
  type Command,
  createBook,
  decodeJournal,
  type EngineKind,
  type JournalableBook,
  openJournaledBook,
  recover,
  stateHash,
} from '../src/index';
// @ts-expect-error plain JS fixture shared with the child process
import { CRASH_CONFIG, crashCommands } from './fixtures/crash-stream.mjs';
import { tempDir } from './support/temp-dir';

const dist = resolve(import.meta.dirname, '../dist/index.js');

/**
 * Runs a child process (node with `args`) until it has acknowledged 2,000
 * commands, then kills it with SIGKILL. `onLine` reads each line it prints and
 * returns the sequence the line acknowledges, if it acknowledges one.
 */
async function killMidRun(
  args: string[],
  onLine: (line: string) => number | undefined,
): Promise<{ signal: NodeJS.Signals | null; acked: number }> {
  const child: ChildProcessByStdio<null, Readable, null> = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let acked = 0;
  let buffered = '';
  const signal = await new Promise<NodeJS.Signals | null>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acked = onLine(line) ?? acked;
      if (acked >= 2_000 && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, sig) => done(sig));
    child.on('error', fail);
  });
  return { signal, acked };
}

/** The crash stream replayed in-process up to the same point gives the same book. */
function expectSameAsReplay(book: Book): void {
  const replay = createBook(CRASH_CONFIG) as JournalableBook;
  const stream = crashCommands() as Generator<Command>;
  while (replay.sequence < book.sequence) replay.submit(stream.next().value as Command);
  expect(stateHash(book)).toBe(stateHash(replay));
}

it('recovers every acknowledged command after the process is killed mid-run', async () => {
  if (!existsSync(dist)) throw new Error('packages/core is not built: run `npm run build`');
  const dir = tempDir('crash');
  const journalPath = join(dir, 'book.journal');
  try {
    const { signal, acked } = await killMidRun(
      [resolve(import.meta.dirname, 'fixtures/crash-child.mjs'), journalPath, 'js'],
      (line) => Number(line.slice(4)),
    );
    expect(signal).toBe('SIGKILL'); // it died mid-run, not at its natural end
    expect(acked).toBeGreaterThanOrEqual(2_000);

    const recovered = recover({ journal: readFileSync(journalPath) });
    expect(recovered.book.sequence).toBeGreaterThanOrEqual(acked);
    expectSameAsReplay(recovered.book);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The child of the checkpoint case: the crash test's stream, in batches of 50,
 * with a checkpoint after every 5th batch (every 250 commands); prints
 * "ack <sequence>" after each batch and "checkpoint <sequence>" after each
 * checkpoint. Inline (the fixtures folder is shared), run with `node -e`.
 */
const CHECKPOINTING_CHILD = `
import { openJournaledBook } from ${JSON.stringify(pathToFileURL(dist).href)};
import { CRASH_CONFIG, crashCommands } from ${JSON.stringify(
  pathToFileURL(resolve(import.meta.dirname, 'fixtures/crash-stream.mjs')).href,
)};
const [journalPath, snapshotPath, engine] = process.argv.slice(1);
const { book } = openJournaledBook({ journalPath, snapshotPath, config: CRASH_CONFIG, engine, fsync: 'batch' });
const stream = crashCommands();
for (let batch = 1; batch <= 400; batch++) {
  const commands = [];
  for (let i = 0; i < 50; i++) commands.push(stream.next().value);
  book.apply(commands);
  process.stdout.write('ack ' + book.sequence + '\\n');
  if (batch % 5 === 0) process.stdout.write('checkpoint ' + book.checkpoint().sequence + '\\n');
}
`;

it.each(['js', 'wasm'] as EngineKind[])(
  'recovers every acknowledged command when killed while it journals and checkpoints (%s engine)',
  async (engine) => {
    if (!existsSync(dist)) throw new Error('packages/core is not built: run `npm run build`');
    const dir = tempDir('crash');
    const journalPath = join(dir, 'book.journal');
    const snapshotPath = join(dir, 'book.snapshot');
    try {
      let checkpoints = 0;
      const { signal, acked } = await killMidRun(
        ['--input-type=module', '-e', CHECKPOINTING_CHILD, journalPath, snapshotPath, engine],
        (line) => {
          const [what, sequence] = line.split(' ');
          if (what === 'checkpoint') checkpoints++;
          return what === 'ack' ? Number(sequence) : undefined;
        },
      );
      expect(signal).toBe('SIGKILL');
      expect(checkpoints).toBeGreaterThanOrEqual(6);

      // Recover as a restarted process would (this also drops a half-written temp file).
      const { book, sink, recovered } = openJournaledBook({ journalPath, snapshotPath });
      sink.close();
      expect(book.sequence).toBeGreaterThanOrEqual(acked);
      expect(readdirSync(dir).sort()).toEqual(['book.journal', 'book.snapshot']);
      // The journal holds at most the commands since the last checkpoint (or,
      // killed between a snapshot and its journal's rotation, ones it skips).
      expect(recovered?.snapshotSequence).toBeGreaterThanOrEqual(acked - 250);
      expect(recovered?.replayed).toBeLessThanOrEqual(250);
      expect(decodeJournal(readFileSync(journalPath)).records.length).toBeLessThanOrEqual(250);

      expectSameAsReplay(book);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
