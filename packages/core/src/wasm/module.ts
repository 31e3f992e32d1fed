/**
 * Loading the matcher: the `.wasm` is read and compiled once per process;
 * every book gets its own instance over its own shared memory.
 */
import { readFileSync } from 'node:fs';
import { TickbookError } from '../errors';

/** The exports of packages/matcher-wasm/assembly/index.ts. */
export interface MatcherExports {
  layoutSize(ticks: number, capacity: number): number;
  init(minPrice: number, maxPrice: number, capacity: number, defaultStp: number): number;
  limit(
    id: number,
    side: number,
    price: number,
    qty: number,
    tif: number,
    postOnly: number,
    owner: number,
    stp: number,
    expiresAt: number,
    displayQty: number,
  ): number;
  market(
    id: number,
    side: number,
    size: number,
    tif: number,
    postOnly: number,
    owner: number,
    stp: number,
    mflags: number,
    protection: number,
  ): number;
  cancel(id: number): number;
  modify(id: number, price: number, qty: number, flags: number, trigger: number): number;
  /** A stop order from the stop record `at` bytes past the command region's start. */
  stop(at: number): number;
  /** Restore the stop in the stop record `at` bytes past the command region's start; 0 when it cannot be. */
  restoreStopOrder(at: number): number;
  getLastPrice(): number;
  putLastPrice(value: number): void;
  stopsOn(side: number): number;
  stopHeapEntry(side: number, i: number): number;
  orderStopKind(address: number): number;
  orderTrigger(address: number): number;
  orderStopTif(address: number): number;
  orderStopStamp(address: number): number;
  reduce(id: number, qty: number): number;
  advanceTime(time: number): number;
  getTime(): number;
  nextExpiry(): number;
  putTime(value: number): void;
  orderExpiry(address: number): number;
  expiryHeapSize(): number;
  applyBatch(start: number, end: number): number;
  eventCount(): number;
  sideReserve(side: number): number;
  restore(
    id: number,
    side: number,
    price: number,
    remaining: number,
    filled: number,
    owner: number,
    stp: number,
    postOnly: number,
    expiresAt: number,
    displayQty: number,
    displayed: number,
  ): number;
  orderDisplayQty(address: number): number;
  orderHidden(address: number): number;
  getSequence(): number;
  putSequence(value: number): void;
  size(): number;
  bestBidTick(): number;
  bestAskTick(): number;
  nextLevel(side: number, tick: number): number;
  findOrder(id: number): number;
  geometry(i: number): number;
}

/**
 * The slice of the WebAssembly JS API used here. Core's TypeScript libs
 * (ES2022 + @types/node 20) do not declare it, so it is typed locally.
 */
export interface WasmMemory {
  /** A `SharedArrayBuffer`: the memory is shared. */
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array | ArrayBuffer) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  RuntimeError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** True for a WebAssembly trap (`unreachable`, an out-of-bounds access, …). */
export function isWasmTrap(e: unknown): boolean {
  return e instanceof wasm.RuntimeError;
}

/**
 * Called by the matcher when its event region is full in the middle of a
 * command: the `count` events at the region's start are JS's to take before
 * the matcher writes over them. Returns non-zero to stop a batch after the
 * command in progress.
 */
export type EventSpill = (count: number) => number;

const WASM_PAGE = 65_536;

/**
 * What {@link setMatcher} accepts: the bytes of `matcher.wasm` (the package
 * exports the file as `tickbook/matcher.wasm`), or that file already compiled
 * (a `WebAssembly.Module`).
 */
export type MatcherSource = Uint8Array | ArrayBuffer | object;

/**
 * Where the compiled matcher is: next to the module that loads it. Written
 * as `new URL('./matcher.wasm', import.meta.url)` so bundlers that follow
 * that pattern (webpack, Vite, Parcel, Rollup with a plugin) emit the file
 * with the bundle.
 */
function wasmLocation(): URL | undefined {
  try {
    return new URL('./matcher.wasm', import.meta.url);
  } catch {
    return undefined; // no import.meta.url (some CommonJS bundles)
  }
}

function notFound(where: URL | undefined, cause: unknown): TickbookError {
  const looked = where ? `at ${where.href}` : 'next to the code (import.meta.url is not available)';
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new TickbookError(
    'MATCHER_NOT_FOUND',
    `no matcher.wasm ${looked}${reason}. If you bundle tickbook, copy ` +
      "tickbook/matcher.wasm next to the bundle, or pass its bytes with setMatcher(bytes) before the first book (esbuild: import them with --loader:.wasm=binary); or use engine: 'js'",
  );
}

let compiled: WasmModule | undefined;
let sizer: MatcherExports | undefined;

/**
 * Give tickbook the WebAssembly matcher yourself, instead of letting it read
 * `matcher.wasm` from next to its own code: for bundles, single-file
 * executables and runtimes without a file system. Call it before the first
 * WASM book; books created earlier keep the matcher they have.
 *
 * @param source - the bytes of `tickbook/matcher.wasm`, or that file compiled
 *   (`new WebAssembly.Module(bytes)`, e.g. to share one compilation with workers).
 * @throws {@link TickbookError} `MATCHER_NOT_FOUND` when the bytes are not a
 *   WebAssembly module.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createRequire } from 'node:module';
 * import { setMatcher } from 'tickbook';
 * setMatcher(readFileSync(createRequire(import.meta.url).resolve('tickbook/matcher.wasm')));
 * ```
 */
export function setMatcher(source: MatcherSource): void {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    try {
      compiled = new wasm.Module(source);
    } catch (e) {
      throw new TickbookError(
        'MATCHER_NOT_FOUND',
        `the bytes given to setMatcher are not tickbook's matcher.wasm (${(e as Error).message})`,
      );
    }
  } else if (source instanceof (wasm.Module as unknown as new () => object)) {
    compiled = source;
  } else {
    throw new TickbookError(
      'MATCHER_NOT_FOUND',
      'setMatcher takes the bytes of matcher.wasm (Uint8Array or ArrayBuffer) or a WebAssembly.Module',
    );
  }
  sizer = undefined;
}

/** The compiled matcher module (read and compiled on first use). */
export function matcherModule(): WasmModule {
  if (!compiled) {
    const where = wasmLocation();
    let bytes: Uint8Array;
    try {
      if (!where) throw new Error('no location');
      bytes = readFileSync(where);
    } catch (e) {
      throw notFound(where, e);
    }
    compiled = new wasm.Module(bytes);
  }
  return compiled;
}

function instantiate(memory: WasmMemory, evSpill: EventSpill): MatcherExports {
  const instance = new wasm.Instance(matcherModule(), { env: { memory, evSpill } });
  return instance.exports as unknown as MatcherExports;
}

function neverSpills(): number {
  throw new Error('tickbook: the layout sizer wrote events');
}

/** A matcher instance over a one-page memory, used only to size books' memories. */
function layoutSizer(): MatcherExports {
  if (!sizer) {
    sizer = instantiate(new wasm.Memory({ initial: 1, maximum: 1, shared: true }), neverSpills);
  }
  return sizer;
}

/** One book's matcher: its exports and its memory. */
export interface MatcherInstance {
  readonly exports: MatcherExports;
  readonly memory: WasmMemory;
}

/**
 * Pages a book needs: its layout, event region included. The memory never
 * grows afterwards: a command with more events than the region holds hands
 * them to JS in chunks ({@link EventSpill}), so its maximum is its size.
 */
export function memoryPlan(ticks: number, capacity: number): { initial: number; maximum: number } {
  const pages = Math.ceil(layoutSizer().layoutSize(ticks, capacity) / WASM_PAGE);
  return { initial: pages, maximum: pages };
}

/** A fresh matcher for a band of `[minPrice, maxPrice]` and `capacity` resting orders. */
export function createMatcher(
  minPrice: number,
  maxPrice: number,
  capacity: number,
  defaultStp: number,
  evSpill: EventSpill,
): MatcherInstance {
  const plan = memoryPlan(maxPrice - minPrice + 1, capacity);
  const memory = new wasm.Memory({
    initial: plan.initial,
    maximum: plan.maximum,
    shared: true,
  });
  const exports = instantiate(memory, evSpill);
  exports.init(minPrice, maxPrice, capacity, defaultStp);
  return { exports, memory };
}
