/**
 * A real crash: a child process journals batches to a file and is killed with
 * SIGKILL mid-run; recovery from the file must hold every acknowledged command.
 * Runs against the built package (the test command builds it first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { type Command, createBook, type JournalableBook, recover, stateHash } from '../src/index';
// @ts-expect-error plain JS fixture shared with the child process
import { CRASH_CONFIG, crashCommands } from './fixtures/crash-stream.mjs';

const dist = resolve(import.meta.dirname, '../dist/index.js');

it('recovers every acknowledged command after the process is killed mid-run', async () => {
  if (!existsSync(dist)) throw new Error('packages/core is not built: run `npm run build`');
  const dir = mkdtempSync(join(tmpdir(), 'tickbook-crash-'));
  const journalPath = join(dir, 'book.journal');
  try {
    const child = spawn(
      process.execPath,
      [resolve(import.meta.dirname, 'fixtures/crash-child.mjs'), journalPath, 'js'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let acked = 0;
    let buffered = '';
    const signal = await new Promise<NodeJS.Signals | null>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) acked = Number(line.slice(4));
        if (acked >= 2_000 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (_code, sig) => done(sig));
      child.on('error', fail);
    });
    expect(signal).toBe('SIGKILL'); // it died mid-run, not at its natural end
    expect(acked).toBeGreaterThanOrEqual(2_000);

    const recovered = recover({ journal: readFileSync(journalPath) });
    expect(recovered.book.sequence).toBeGreaterThanOrEqual(acked);

    // The same stream replayed in-process up to the same point gives the same book.
    const replay = createBook(CRASH_CONFIG) as JournalableBook;
    const stream = crashCommands() as Generator<Command>;
    while (replay.sequence < recovered.book.sequence) replay.submit(stream.next().value as Command);
    expect(stateHash(recovered.book)).toBe(stateHash(replay));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
