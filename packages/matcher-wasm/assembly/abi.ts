// The binary interface between this module and TypeScript, defined once.
// Every constant exported here (and from constants.ts, which this file
// re-exports) becomes an exported wasm global; the build reads them from the
// compiled module and writes packages/core/src/wasm/abi.ts, so the TS side
// never copies a code or an offset by hand. Record offsets are computed by
// the compiler (`offsetof`) from the classes drawn in layout.ts.

// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { CMD_MIN_WORDS, Cmd, Ev, Extra, Level, Order } from './layout';

export * from './constants';
export {
  BITS_READERS_WAITING,
  BITS_SEQLOCK,
  BITS_SEQUENCE,
  BITS_WORDS,
  CMD_REGION_BYTES,
  CMD_SIZE,
  EV_CAPACITY,
  EV_SIZE,
  EV_SOFT_LIMIT,
  EXTRA_SIZE,
  LEVEL_SIZE,
  MAX_BIT_LEVELS,
  ORDER_SIZE,
} from './layout';

// ---- order record (layout.ts `Order`) ----
export const ORDER_ID: usize = offsetof<Order>('id');
export const ORDER_REM: usize = offsetof<Order>('rem');
export const ORDER_FILLED: usize = offsetof<Order>('filled');
export const ORDER_OWNER: usize = offsetof<Order>('owner');
export const ORDER_PREV: usize = offsetof<Order>('prev');
export const ORDER_NEXT: usize = offsetof<Order>('next');
export const ORDER_TICK: usize = offsetof<Order>('tick');
export const ORDER_SIDE: usize = offsetof<Order>('side');
export const ORDER_STP: usize = offsetof<Order>('stp');
export const ORDER_POST_ONLY: usize = offsetof<Order>('postOnly');
/** What the slot holds: KIND_PLAIN, KIND_ICEBERG, KIND_STOP_MARKET, KIND_STOP_LIMIT. */
export const ORDER_KIND: usize = offsetof<Order>('kind');

// ---- per-slot extra record (layout.ts `Extra`) ----
/** Iceberg: display quantity; stop: trigger price. */
export const EXTRA_A: usize = offsetof<Extra>('a');
/** Iceberg: hidden reserve; stop: arming stamp. */
export const EXTRA_B: usize = offsetof<Extra>('b');

// ---- price level record (layout.ts `Level`) ----
export const LEVEL_TOTAL: usize = offsetof<Level>('total');
export const LEVEL_HEAD: usize = offsetof<Level>('head');
export const LEVEL_TAIL: usize = offsetof<Level>('tail');
export const LEVEL_COUNT: usize = offsetof<Level>('count');
export const LEVEL_SIDE: usize = offsetof<Level>('side');

// ---- command record (layout.ts `Cmd`) ----
export const CMD_KIND: usize = offsetof<Cmd>('kind');
export const CMD_SIDE: usize = offsetof<Cmd>('side');
export const CMD_TIF: usize = offsetof<Cmd>('tif');
export const CMD_FLAGS: usize = offsetof<Cmd>('flags');
export const CMD_STP: usize = offsetof<Cmd>('stp');
export const CMD_CODE: usize = offsetof<Cmd>('code');
export const CMD_MFLAGS: usize = offsetof<Cmd>('mflags');
/** The record's size in 8-byte words (2-7). */
export const CMD_WORDS: usize = offsetof<Cmd>('words');
export const CMD_ID: usize = offsetof<Cmd>('id');
export const CMD_PRICE: usize = offsetof<Cmd>('price');
export const CMD_QTY: usize = offsetof<Cmd>('qty');
export const CMD_OWNER: usize = offsetof<Cmd>('owner');
export const CMD_EXPIRES_AT: usize = offsetof<Cmd>('expiresAt');
export const CMD_DISPLAY_QTY: usize = offsetof<Cmd>('displayQty');
/** Smallest command record: the header and `id`. */
export const CMD_MIN_SIZE: usize = CMD_MIN_WORDS << 3;

// ---- event record (layout.ts `Ev`) ----
export const EV_TYPE: usize = offsetof<Ev>('type');
export const EV_SIDE: usize = offsetof<Ev>('side');
export const EV_AUX: usize = offsetof<Ev>('aux');
export const EV_COUNT: usize = offsetof<Ev>('count');
export const EV_A: usize = offsetof<Ev>('a');
export const EV_B: usize = offsetof<Ev>('b');
export const EV_C: usize = offsetof<Ev>('c');
export const EV_D: usize = offsetof<Ev>('d');
export const EV_E: usize = offsetof<Ev>('e');
export const EV_F: usize = offsetof<Ev>('f');

// ---- geometry(i) indexes: region addresses and sizes ----
export const GEO_LEVELS: i32 = 0;
export const GEO_ORDERS: i32 = 1;
export const GEO_COMMANDS: i32 = 2;
export const GEO_EVENTS: i32 = 3;
export const GEO_END: i32 = 4;
export const GEO_CMD_REGION: i32 = 5;
export const GEO_EV_SOFT_LIMIT: i32 = 6;
export const GEO_TICKS: i32 = 7;
export const GEO_CAPACITY: i32 = 8;
/** Order slots ever used (the pool's bump pointer). */
export const GEO_SLOTS_TOUCHED: i32 = 9;
export const GEO_FREE_HEAD: i32 = 10;
export const GEO_MAP_SIZE: i32 = 11;
/** The bits table: bitset addresses, word counts, seqlock, readers waiting, published sequence. */
export const GEO_BITS_TABLE: i32 = 12;
export const GEO_BIT_LEVELS: i32 = 13;
/** Good-till-date expiry per order slot (f64). */
export const GEO_EXPIRY: i32 = 14;
/** 1-based expiry-heap position per order slot (u32). */
export const GEO_HEAP_POS: i32 = 15;
/** The expiry heap of order addresses (u32). */
export const GEO_HEAP: i32 = 16;
/** Per order slot: iceberg display quantity and hidden reserve, or a stop's trigger and arming stamp (2 × f64). */
export const GEO_ICEBERG: i32 = 17;
/** Event records the event region holds; a command writing more hands them over in chunks. */
export const GEO_EV_CAPACITY: i32 = 18;
