/** Named defaults of the benchmark (tinybench style: no magic numbers in the code). */

/** Timed W1 runs per engine; the figure is their median. */
export const DEFAULT_RUNS = 3;
/** Commands per `apply` call on batch paths (measured: 64 … 8,192 perform alike). */
export const BATCH_SIZE = 4096;
/** Book band used for W1 (mid 10,000): wide enough for every W1 price. */
export const W1_BAND = { minPrice: 1, maxPrice: 20_000 } as const;
/** Book capacity used for W1 (the book stays near 7,000 orders). */
export const W1_CAPACITY = 100_000;

/** Quick mode (CI): timed operations of the W1 variant the slow peer runs. */
export const QUICK_PEER_OPS = 100_000;
/** Full mode: the peer runs the full W1 (it takes ~13 µs per operation). */
export const FULL_PEER_OPS = 1_000_000;

/** Scaling: resting book sizes. */
export const SCALING_BOOK_SIZES = [1_000, 10_000, 100_000, 1_000_000] as const;
/** Scaling: band widths in ticks (prices sparse: the same ~100 levels spread over the band). */
export const SCALING_BAND_WIDTHS = [100, 1_000, 10_000, 100_000, 1_000_000] as const;
/** Scaling: timed operations per point (full / quick). */
export const SCALING_OPS = 200_000;
export const QUICK_SCALING_OPS = 50_000;
/** Scaling in quick mode: the ends of each range only. */
export const QUICK_SCALING_BOOK_SIZES = [1_000, 100_000] as const;
export const QUICK_SCALING_BAND_WIDTHS = [100, 1_000_000] as const;
/** Scaling: cost must stay flat within this factor. */
export const SCALING_FLAT_FACTOR = 1.5;

/** Memory figure: capacity × band of the big book. */
export const MEMORY_CAPACITY = 1_000_000;
export const MEMORY_BAND_TICKS = 1_000_000;
/** Quick mode: resting orders placed in the big book (capacity stays 1,000,000). */
export const QUICK_MEMORY_ORDERS = 200_000;

/** tinybench time budget per micro-benchmark task, in ms (full / quick). */
export const MICRO_TIME_MS = 500;
export const QUICK_MICRO_TIME_MS = 30;

/** Sustained mode: operations per timed chunk and per generated chunk. */
export const SUSTAINED_CHUNK = 1_000;
export const SUSTAINED_GEN_CHUNK = 200_000;

/** Profile mode: V8 sampling interval in µs. */
export const PROFILE_SAMPLING_US = 100;
/** Profile mode: functions listed by self time. */
export const PROFILE_TOP = 15;

/** The project's speed targets (reported, never asserted). */
export const TARGETS = {
  /** W1 orders/sec, WASM batch path (binary commands). */
  wasmBatchOps: 28_000_000,
  /** The same path's time per operation as a multiple of the native ceiling's. */
  wasmBatchNativeTimes: 1.8,
  /** W1 orders/sec, WASM per-order API (refusals thrown). */
  wasmPerOrderOps: 10_000_000,
  /** W1 orders/sec, WASM `submit()` per order. */
  wasmSubmitOps: 12_000_000,
  /** WASM `apply()` of object batches ÷ `submit()` per order, same run. */
  applyVsSubmit: 1,
  /** W1 orders/sec, WASM batch path, with 1,000,000 resting orders (scaling table). */
  bigBookBatchOps: 8_000_000,
  /** Both WASM paths against nodejs-order-book in the same run. */
  peerRatio: 75,
  /** Per-order API latency, ns. */
  p99Ns: 1_000,
  p999Ns: 5_000,
} as const;

/** Folder (under the repository root) the JSON results and profiles go to. */
export const RESULTS_DIR = 'bench-results';

/** Durability: resting orders in the snapshot/restore measurement (full, quick). */
export const SNAPSHOT_ORDERS = 1_000_000;
export const QUICK_SNAPSHOT_ORDERS = 100_000;
/** Durability: W1 operations timed with the journal on and off in quick mode (full: all of W1). */
export const QUICK_JOURNAL_OPS = 200_000;
