/**
 * How users meet tickbook: pack the core package, install the tarball into an
 * empty project, and load it with `import` and `require`, types included.
 * Needs the core package built first (the root test command builds it).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir';

const root = resolve(import.meta.dirname, '../../..');
const core = resolve(root, 'packages/core');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

describe('packaging: the published tarball works in a fresh project', () => {
  let project = '';

  beforeAll(() => {
    if (!existsSync(join(core, 'dist/index.js'))) {
      throw new Error('packages/core is not built: run `npm run build` (the test command does)');
    }
    project = tempDir('pack');
    execFileSync(bin('pnpm'), ['pack', '--pack-destination', project], {
      cwd: core,
      stdio: 'pipe',
    });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('pnpm pack produced no tarball');
    writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${tarball}`], {
      cwd: project,
      stdio: 'pipe',
    });
  }, 120_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('the tarball holds the README, LICENSE, both builds, their types and the wasm, and no maps', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: core,
      encoding: 'utf8',
    });
    const [pack] = JSON.parse(out) as [{ files: { path: string }[]; unpackedSize: number }];
    const files = pack.files.map((f) => f.path);
    for (const needed of [
      'README.md',
      'LICENSE',
      'package.json',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/workloads.js',
      'dist/matcher.wasm',
    ]) {
      expect(files).toContain(needed);
    }
    // Maps are left out on purpose: they point at sources the package does not ship.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(pack.unpackedSize).toBeLessThan(1_000_000);
  });

  it('the installed loader names no path of the workspace it was built in', () => {
    const dist = join(project, 'node_modules/tickbook/dist');
    for (const file of readdirSync(dist).filter((f) => /\.(c?js|d\.c?ts)$/.test(f))) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text, file).not.toContain('matcher-wasm/build');
      expect(text, file).not.toContain(root);
    }
  });

  // The README's quick start, verbatim (its examples/ file), and what it prints.
  const quickStart = readFileSync(join(root, 'examples/quick-start.ts'), 'utf8');
  const quickStartOutput =
    'trade 5 @ 10100 (maker 1)\ntrade 2 @ 10101 (maker 2)\n{ price: 10101, qty: 3, count: 1 }\n';
  const node = (file: string, cwd = project) =>
    execFileSync('node', [file], { cwd, encoding: 'utf8', stdio: 'pipe' });

  it('runs the quick start as ESM, as CommonJS and compiled by strict TypeScript', () => {
    writeFileSync(join(project, 'quick-start.mjs'), quickStart);
    expect(node('quick-start.mjs')).toBe(quickStartOutput);
    writeFileSync(
      join(project, 'quick-start.cjs'),
      quickStart.replace(
        "import { createBook } from 'tickbook';",
        "const { createBook } = require('tickbook');",
      ),
    );
    expect(node('quick-start.cjs')).toBe(quickStartOutput);
    writeFileSync(join(project, 'quick-start-ts.mts'), quickStart);
    writeFileSync(join(project, 'quick-start-ts.cts'), quickStart);
    const tsc = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    execFileSync(
      bin('tsc'),
      [...tsc, '--outDir', 'out', 'quick-start-ts.mts', 'quick-start-ts.cts'],
      {
        cwd: project,
        stdio: 'pipe',
      },
    );
    expect(node('out/quick-start-ts.mjs')).toBe(quickStartOutput);
    expect(node('out/quick-start-ts.cjs')).toBe(quickStartOutput);
  });

  it('runs the quick start bundled by esbuild: a clear error without the wasm, then with it beside the bundle or inlined', () => {
    const esbuild = join(core, 'node_modules/.bin/esbuild');
    const bundle = (entry: string, out: string, extra: string[] = []) =>
      execFileSync(
        esbuild,
        [
          entry,
          '--bundle',
          '--platform=node',
          '--target=node20',
          '--format=esm',
          `--outfile=${out}`,
          ...extra,
        ],
        {
          cwd: project,
          stdio: 'pipe',
        },
      );
    bundle('quick-start.mjs', 'bundle/app.mjs');
    // The bundle left matcher.wasm behind: a TickbookError that says what to do.
    let failure = '';
    try {
      node('bundle/app.mjs');
    } catch (e) {
      failure = String((e as { stderr?: unknown }).stderr);
    }
    expect(failure).toMatch(/TickbookError: MATCHER_NOT_FOUND/);
    expect(failure).toMatch(/copy tickbook\/matcher\.wasm next to the bundle/);
    // Copied next to the bundle, as the error says.
    copyFileSync(
      join(project, 'node_modules/tickbook/dist/matcher.wasm'),
      join(project, 'bundle/matcher.wasm'),
    );
    expect(node('bundle/app.mjs')).toBe(quickStartOutput);
    // Or inlined: the package exports the file, esbuild's binary loader makes it bytes.
    writeFileSync(
      join(project, 'inlined.mjs'),
      `import matcher from 'tickbook/matcher.wasm';\nimport { createBook, setMatcher } from 'tickbook';\nsetMatcher(matcher);\n${quickStart.replace(/^import .*\n/, '')}`,
    );
    mkdirSync(join(project, 'single'), { recursive: true });
    bundle('inlined.mjs', 'single/app.mjs', ['--loader:.wasm=binary']);
    expect(readdirSync(join(project, 'single'))).toEqual(['app.mjs']);
    expect(node('single/app.mjs')).toBe(quickStartOutput);
  });

  const script = (body: string) => body.replace(/^\n/, '').replace(/^ {6}/gm, '');
  /** Writes `body` (as `script` trims it) to `file` in the project, runs it and parses the JSON it prints. */
  const runScript = (file: string, body: string) => {
    writeFileSync(join(project, file), script(body));
    return JSON.parse(node(file));
  };

  it('loads with import (ESM) and matches orders', () => {
    const out = runScript(
      'esm.mjs',
      `
      import { createBook, TickbookError } from 'tickbook';
      import { generateW1 } from 'tickbook/workloads';
      const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 10 });
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5 });
      const trades = book.limit({ id: 2, side: 'buy', price: 100, qty: 2 }).filter((e) => e.type === 'trade');
      let code = '';
      try { book.cancel(99); } catch (e) { code = e instanceof TickbookError ? e.code : 'wrong class'; }
      console.log(JSON.stringify({ trades: trades.length, qty: trades[0].qty, code, w1: typeof generateW1 }));
      `,
    );
    expect(out).toEqual({ trades: 1, qty: 2, code: 'UNKNOWN_ORDER', w1: 'function' });
  });

  it('loads with require (CommonJS) and matches orders', () => {
    const out = runScript(
      'cjs.cjs',
      `
      const { createBook, isTickbookError } = require('tickbook');
      const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 10 });
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      const events = book.market({ id: 2, side: 'sell', qty: 7 });
      let ok = false;
      try { book.limit({ id: 3, side: 'buy', price: 0, qty: 1 }); } catch (e) { ok = isTickbookError(e) && e.code === 'INVALID_PRICE'; }
      console.log(JSON.stringify({ last: events[events.length - 1].reason, ok }));
      `,
    );
    expect(out).toEqual({ last: 'remainder', ok: true });
  });

  it('ships types that type-check for both module systems', () => {
    const use = script(`
      import { createBook, type BookEvent, type TradeEvent } from 'tickbook';
      const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 10 });
      const events: BookEvent[] = book.limit({ id: 1, side: 'buy', price: 10, qty: 1 });
      const trades = events.filter((e): e is TradeEvent => e.type === 'trade');
      export const total: number = trades.reduce((s, t) => s + t.qty, 0);
      `);
    writeFileSync(join(project, 'types.mts'), use);
    writeFileSync(join(project, 'types.cts'), use);
    // A deliberate type error must be caught, so the check is not vacuous.
    writeFileSync(
      join(project, 'wrong.mts'),
      "import { createBook } from 'tickbook';\ncreateBook({ minPrice: 1, maxPrice: 2, capacity: 1 }).limit({ id: 1, side: 'up', price: 1, qty: 1 });\n",
    );
    const tsc = (files: string[]) => {
      const args = [
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
      ];
      try {
        execFileSync(bin('tsc'), [...args, ...files], { cwd: project, encoding: 'utf8' });
      } catch (e) {
        // tsc reports on stdout; surface it as the error message.
        throw new Error(String((e as { stdout?: unknown }).stdout));
      }
    };
    expect(() => tsc(['types.mts', 'types.cts'])).not.toThrow();
    expect(() => tsc(['wrong.mts'])).toThrow(/"up"' is not assignable to type 'Side'/);
  });
});
