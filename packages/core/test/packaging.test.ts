/**
 * How users meet tickbook: pack the core package, install the tarball into an
 * empty project, and load it with `import` and `require`, types included.
 * Needs the core package built first (the root test command builds it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const core = resolve(root, 'packages/core');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

describe('packaging: the published tarball works in a fresh project', () => {
  let project = '';

  beforeAll(() => {
    if (!existsSync(join(core, 'dist/index.js'))) {
      throw new Error('packages/core is not built: run `npm run build` (the test command does)');
    }
    project = mkdtempSync(join(tmpdir(), 'tickbook-pack-'));
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

  const script = (body: string) => body.replace(/^\n/, '').replace(/^ {6}/gm, '');

  it('loads with import (ESM) and matches orders', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      script(`
      import { createBook, TickbookError } from 'tickbook';
      import { generateW1 } from 'tickbook/workloads';
      const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 10 });
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5 });
      const trades = book.limit({ id: 2, side: 'buy', price: 100, qty: 2 }).filter((e) => e.type === 'trade');
      let code = '';
      try { book.cancel(99); } catch (e) { code = e instanceof TickbookError ? e.code : 'wrong class'; }
      console.log(JSON.stringify({ trades: trades.length, qty: trades[0].qty, code, w1: typeof generateW1 }));
      `),
    );
    const out = execFileSync('node', ['esm.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ trades: 1, qty: 2, code: 'UNKNOWN_ORDER', w1: 'function' });
  });

  it('loads with require (CommonJS) and matches orders', () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      script(`
      const { createBook, isTickbookError } = require('tickbook');
      const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 10 });
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      const events = book.market({ id: 2, side: 'sell', qty: 7 });
      let ok = false;
      try { book.limit({ id: 3, side: 'buy', price: 0, qty: 1 }); } catch (e) { ok = isTickbookError(e) && e.code === 'INVALID_PRICE'; }
      console.log(JSON.stringify({ last: events[events.length - 1].reason, ok }));
      `),
    );
    const out = execFileSync('node', ['cjs.cjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ last: 'remainder', ok: true });
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
