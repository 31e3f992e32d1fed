/** Output: progress lines, number formatting, tables, machine facts, the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR } from './constants';

const started = performance.now();

/** Prints a progress line on stderr with the elapsed time. */
export function progress(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${s}s] ${message}\n`);
}

/** Seconds since the bench started. */
export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}

/** 12345678 → "12.35M". */
export function fmtRate(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** ns → "123 ns" / "4.5 µs" / "1.2 ms". */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** Bytes → "12.3 MB". */
export function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return '—';
  if (Math.abs(b) >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (Math.abs(b) >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  return `${(b / 1e3).toFixed(1)} kB`;
}

/** Cells that read as numbers (right-aligned): "4.11M", "243", "26.8×", "2.80 µs", "6,969 ✓", "—". */
const NUMERIC = /^(—|[-+]?\d[\d.,]*( ?[a-zA-Zµ×%]{1,2}(\/s)?)?( ✓)?)$/;

/** A plain-text table: first row is the header; numbers-looking cells align right. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        const pad = widths[i] - [...cell].length;
        return i > 0 && NUMERIC.test(cell) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
      })
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const row of rows.slice(1)) out.push(line(row));
  return out.join('\n');
}

/** Prints a titled section on stdout. */
export function section(title: string, body: string): void {
  process.stdout.write(`\n== ${title} ==\n${body}\n`);
}

/** CPU model, cores, memory, Node and V8 versions, OS. */
export function machine(): Record<string, string | number> {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The repository root (packages/bench/dist/cli.js → ../../..). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/** The results folder (created when missing). */
export function resultsDir(override?: string): string {
  const dir = override ?? join(repoRoot(), RESULTS_DIR);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** File-name-safe timestamp, e.g. 2026-11-26T03-20-00Z. */
export function stamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/** Writes `data` as JSON under the results folder; returns the path. */
export function writeJson(name: string, data: unknown, dir?: string): string {
  const path = join(resultsDir(dir), name);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
