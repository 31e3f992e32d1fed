/**
 * Every TypeScript / JavaScript code block of the README files and docs/ is
 * part of a file in `examples/`, and every example runs. The examples are
 * type-checked (strict, Node's module resolution, the built package's types)
 * by `npm run typecheck` and compiled by `npm run build`; here each compiled
 * example runs twice in a fresh folder, so one that keeps state on disk is
 * also run against the state its first run left.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir';

const root = resolve(import.meta.dirname, '../../..');
const examples = join(root, 'examples');

/** The markdown files users read (shell and JSON blocks are not checked here). */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f));
  const readmes = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md']
    .concat(
      ['core', 'bench', 'matcher-wasm', 'gateway', 'cluster'].map((p) => `packages/${p}/README.md`),
    )
    .map((f) => join(root, f));
  return [...readmes, ...docs].filter((f) => existsSync(f));
}

interface Block {
  file: string;
  line: number;
  lines: string[];
}

/** Code blocks in a language that runs on Node. */
function codeBlocks(file: string): Block[] {
  const blocks: Block[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript|js|javascript|mjs|cjs)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    blocks.push({ file, line: start, lines: lines.slice(start, i + 1) });
    i++;
  }
  return blocks;
}

const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const exampleLines = new Map(
  exampleFiles.map((f) => [f, readFileSync(join(examples, f), 'utf8').split('\n')]),
);

/** The example file that holds `block` as consecutive lines, if any. */
function exampleHolding(block: Block): string | undefined {
  const want = block.lines.map((l) => l.trimEnd());
  for (const [name, lines] of exampleLines) {
    for (let at = 0; at + want.length <= lines.length; at++) {
      if (want.every((l, k) => lines[at + k].trimEnd() === l)) return name;
    }
  }
  return undefined;
}

describe('documentation code blocks are examples', () => {
  const blocks = documents().flatMap(codeBlocks);

  it('finds the code blocks (the check is not vacuous)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(exampleFiles.length).toBeGreaterThanOrEqual(4);
  });

  it('every block is part of a file in examples/', () => {
    const orphans = blocks
      .filter((b) => !exampleHolding(b))
      .map((b) => `${relative(root, b.file)}:${b.line}`);
    expect(orphans, 'copy each of these blocks into a file in examples/').toEqual([]);
  });
});

/** What an example prints on its first and second run, where it says. */
const prints: Record<string, [RegExp, RegExp]> = {
  'quick-start.ts': [/trade 5 @ 10100 \(maker 1\)\ntrade 2 @ 10101 \(maker 2\)/, /count: 1/],
  'binary-batch.ts': [/order 3 refused: UNKNOWN_ORDER\n39996/, /^39996$/m],
  'durability.ts': [/^new book$/m, /^recovered 1 resting orders$/m],
  'threads.ts': [/sequence: 20000/, /sequence: 20000/],
  'set-matcher.ts': [/^wasm 2$/m, /^wasm 2$/m],
  'order-ids.ts': [/^maker true\n0 0$/m, /^maker true\n0 0$/m],
};

describe('every example runs, twice', () => {
  const work = tempDir('examples');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const name of exampleFiles) {
    const compiled = join(examples, 'dist', name.replace(/\.ts$/, '.js'));
    it(name, () => {
      if (!existsSync(compiled)) {
        throw new Error(`${compiled} is missing: run \`npm run build\` (the test command does)`);
      }
      const cwd = mkdtempSync(join(work, 'run-'));
      const run = () =>
        execFileSync('node', [compiled], { cwd, encoding: 'utf8', timeout: 60_000 });
      const first = run();
      const second = run();
      const [once, again] = prints[name] ?? [/./, /./];
      expect(first).toMatch(once);
      expect(second).toMatch(again);
    });
  }
});
