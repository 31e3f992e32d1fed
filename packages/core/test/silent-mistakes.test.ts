/**
 * Mistakes that used to pass silently are refused with a TickbookError that
 * names what is wrong: a single command given to apply, command objects given
 * to applyEncoded, unknown config keys, and a journal opened with a config
 * other than its files'.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BookConfig,
  type Command,
  CommandBuffer,
  createBook,
  createWasmBook,
  Engine,
  type EngineKind,
  openJournaledBook,
} from '../src/index';
import { tempDir } from './support/temp-dir';
import { thrown } from './support/thrown';

const config = { minPrice: 1, maxPrice: 1_000, capacity: 10 };

describe.each<EngineKind>(['wasm', 'js'])('%s engine', (engine) => {
  it('apply(one command object) is INVALID_COMMAND and changes nothing', () => {
    const book = createBook({ ...config, engine });
    book.limit({ id: 1, side: 'buy', price: 10, qty: 1 });
    const e = thrown(() => book.apply({ kind: 'cancel', id: 1 } as unknown as Command[]));
    expect(e.code).toBe('INVALID_COMMAND');
    expect(e.message).toContain("got { kind: 'cancel', id: 1 }");
    expect(e.message).toContain('submit(command)');
    expect(book.size).toBe(1);
    expect(book.sequence).toBe(1);
    expect(thrown(() => book.apply(undefined as unknown as Command[])).code).toBe(
      'INVALID_COMMAND',
    );
    expect(book.apply([])).toEqual([]);
  });

  it('unknown config keys are INVALID_CONFIG naming the key', () => {
    const e = thrown(() => createBook({ ...config, engine, tickSize: 0.25 } as BookConfig));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toContain("unknown key 'tickSize'");
    expect(thrown(() => new Engine().addBook('X', { ...config, lots: 1 } as BookConfig)).code).toBe(
      'INVALID_CONFIG',
    );
    // Keys that are there but undefined are defaults, not mistakes.
    expect(createBook({ ...config, engine, stpMode: undefined }).config.stpMode).toBe(
      'cancel-newest',
    );
  });
});

it('applyEncoded(an array) is INVALID_COMMAND and changes nothing', () => {
  const book = createWasmBook(config);
  const e = thrown(() =>
    book.applyEncoded([{ kind: 'limit', id: 1, side: 'buy', price: 5, qty: 1 }] as never),
  );
  expect(e.code).toBe('INVALID_COMMAND');
  expect(e.message).toContain('got an array of 1');
  expect(book.sequence).toBe(0);
  const commands = new CommandBuffer();
  commands.limit(1, 0, 5, 1);
  book.applyEncoded(commands);
  expect(book.sequence).toBe(1);
});

describe('openJournaledBook with a config other than its files', () => {
  const dir = tempDir('mismatch');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stored = { minPrice: 1, maxPrice: 1_000, capacity: 10 };

  const open = (name: string, cfg: BookConfig) =>
    openJournaledBook({
      journalPath: join(dir, name, 'book.journal'),
      snapshotPath: join(dir, name, 'book.snapshot'),
      config: cfg,
      fsync: 'never',
    });

  it.each([
    [
      'maxPrice',
      { ...stored, maxPrice: 500, capacity: 7 },
      /maxPrice: the config asks for 500, the book in the files has 1000/,
    ],
    [
      'capacity',
      { ...stored, capacity: 7 },
      /capacity: the config asks for 7, the book in the files has 10/,
    ],
    [
      'stpMode',
      { ...stored, stpMode: 'cancel-both' as const },
      /stpMode: .*'cancel-both'.*'cancel-newest'/,
    ],
  ])('refuses a different %s with CONFIG_MISMATCH naming it', (name, asked, message) => {
    const first = open(name, stored);
    first.book.limit({ id: 1, side: 'buy', price: 10, qty: 1 });
    first.sink.close();
    const e = thrown(() => open(name, asked));
    expect(e.code).toBe('CONFIG_MISMATCH');
    expect(e.message).toMatch(message);
    // The same config, or another engine, opens the files as they are.
    const again = open(name, { ...stored, engine: 'js' });
    expect(again.book.order(1)?.remaining).toBe(1);
    again.sink.close();
  });

  it('checks a checkpointed book (snapshot + journal) too', () => {
    const first = open('checkpointed', stored);
    first.book.limit({ id: 1, side: 'buy', price: 10, qty: 1 });
    first.book.checkpoint();
    first.sink.close();
    expect(thrown(() => open('checkpointed', { ...stored, minPrice: 2 })).code).toBe(
      'CONFIG_MISMATCH',
    );
  });
});
