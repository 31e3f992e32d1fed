/**
 * Loading the matcher: the `.wasm` is read and compiled once per process;
 * every book gets its own instance over its own shared memory.
 */
import { existsSync, readFileSync } from 'node:fs';

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
  stop(
    id: number,
    side: number,
    trigger: number,
    hasPrice: number,
    price: number,
    qty: number,
    tif: number,
    owner: number,
    stp: number,
    expiresAt: number,
  ): number;
  restoreStopOrder(
    id: number,
    side: number,
    trigger: number,
    hasPrice: number,
    price: number,
    qty: number,
    tif: number,
    owner: number,
    stp: number,
    expiresAt: number,
  ): number;
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
  Module: new (bytes: Uint8Array) => WasmModule;
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

/** Where the compiled matcher is: next to the bundle, else the workspace build (tests from source). */
function wasmLocation(): URL {
  const candidates = [
    new URL('./matcher.wasm', import.meta.url),
    new URL('../../../matcher-wasm/build/matcher.wasm', import.meta.url),
  ];
  for (const url of candidates) if (existsSync(url)) return url;
  throw new Error(
    `tickbook: matcher.wasm not found (looked at ${candidates.map(String).join(', ')}); run the build first`,
  );
}

let compiled: WasmModule | undefined;
let sizer: MatcherExports | undefined;

/** The compiled matcher module (compiled on first use). */
export function matcherModule(): WasmModule {
  if (!compiled) compiled = new wasm.Module(readFileSync(wasmLocation()));
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
