/**
 * The registry of engine paths the benchmark runs. Every path is built here
 * from what the installed `tickbook` exports, so an engine added later (or a
 * new fast path) appears in every mode without touching the other files.
 */
import type { BookConfig } from 'tickbook';
import * as tickbook from 'tickbook';
import { type BinaryBook, binaryApiOf, tickbookBinary } from './engine-binary';
import { peerAdapter } from './engine-peer';
import {
  type BookFactory,
  tickbookBatch,
  tickbookPerOrder,
  tickbookSubmit,
} from './engine-tickbook';
import type { EngineAdapter } from './types';

type Exports = Record<string, unknown>;

/** A book factory for `kind` if this build of tickbook can make one, else undefined. */
async function factoryFor(kind: string): Promise<BookFactory | undefined> {
  const tb = tickbook as unknown as Exports;
  // An engine that needs asynchronous set-up exports an init function; await it.
  for (const init of ['initWasm', 'loadWasm', 'ready']) {
    if (kind === 'wasm' && typeof tb[init] === 'function') await (tb[init] as () => unknown)();
  }
  const probe = { minPrice: 1, maxPrice: 100, capacity: 16 };
  const candidates: BookFactory[] = [(c) => tickbook.createBook({ ...c, engine: kind as 'js' })];
  if (kind === 'wasm' && typeof tb.createWasmBook === 'function') {
    candidates.push(tb.createWasmBook as BookFactory);
  }
  for (const make of candidates) {
    try {
      const book = make(probe);
      if (book.engine === kind) return make;
    } catch {
      // this build has no such engine
    }
  }
  return undefined;
}

/** The binary batch path of an engine kind, when its books offer `applyEncoded`. */
function binaryPath(kind: string, label: string, make: BookFactory): EngineAdapter[] {
  const api = binaryApiOf(tickbook as unknown as Exports);
  const probe = make({ minPrice: 1, maxPrice: 100, capacity: 16 }) as Partial<BinaryBook>;
  if (!api || typeof probe.applyEncoded !== 'function') return [];
  return [tickbookBinary(kind, label, make as (c: BookConfig) => BinaryBook, api)];
}

/**
 * Every engine path available in this build, fastest family first:
 * WASM binary batch, WASM `apply`, WASM per-order, then the same for the
 * reference engine, then the peer.
 */
export async function loadEngines(): Promise<EngineAdapter[]> {
  const out: EngineAdapter[] = [];
  const wasm = await factoryFor('wasm');
  if (wasm) {
    out.push(...binaryPath('wasm', 'wasm', wasm));
    out.push(
      tickbookBatch('wasm', 'wasm', wasm),
      tickbookSubmit('wasm', 'wasm', wasm),
      tickbookPerOrder('wasm', 'wasm', wasm),
    );
  }
  const js = await factoryFor('js');
  if (!js) {
    throw new Error('tickbook createBook({engine: "js"}) is not available: build packages/core');
  }
  const ref = 'js (reference)';
  out.push(
    ...binaryPath('js', ref, js),
    tickbookBatch('js', ref, js),
    tickbookSubmit('js', ref, js),
    tickbookPerOrder('js', ref, js),
  );
  out.push(peerAdapter);
  return out;
}

/** The reference per-order path (the peer's final L2 must equal its). */
export function referenceOf(engines: readonly EngineAdapter[]): EngineAdapter {
  const ref = engines.find((e) => e.key === 'js-order');
  if (!ref) throw new Error('the reference per-order path (js-order) is missing');
  return ref;
}

/**
 * Keeps the paths named by `--engines` (all when `only` is empty).
 * @throws naming the unknown keys.
 */
export function selectEngines(all: readonly EngineAdapter[], only?: readonly string[]) {
  if (!only || only.length === 0) return [...all];
  const unknown = only.filter((k) => !all.some((e) => e.key === k));
  if (unknown.length > 0) {
    throw new Error(
      `unknown --engines ${unknown.join(', ')}; this build has ${all.map((e) => e.key).join(', ')}`,
    );
  }
  return all.filter((e) => only.includes(e.key));
}
