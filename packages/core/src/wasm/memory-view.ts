/**
 * Named reads of the matcher's records in its linear memory: an order slot
 * or a price level is an address, and each field is read at its offset from
 * abi.ts (generated from the AssemblyScript record classes), never at a
 * number typed here. For queries, snapshots and self-checks; the hot paths
 * decode events and encode commands in event-cursor.ts and encode.ts.
 */
import {
  EXTRA_A,
  EXTRA_B,
  EXTRA_SIZE,
  KIND_ICEBERG,
  LEVEL_COUNT,
  LEVEL_HEAD,
  LEVEL_SIDE,
  LEVEL_TAIL,
  LEVEL_TOTAL,
  ORDER_FILLED,
  ORDER_ID,
  ORDER_KIND,
  ORDER_NEXT,
  ORDER_OWNER,
  ORDER_POST_ONLY,
  ORDER_PREV,
  ORDER_REM,
  ORDER_SIDE,
  ORDER_SIZE,
  ORDER_STP,
  ORDER_TICK,
} from './abi';
import type { WasmMemory } from './module';

/** One book's memory, read through its record layouts. */
export class MemoryView {
  u8!: Uint8Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f64!: Float64Array;

  constructor(
    private readonly memory: WasmMemory,
    /** Address of the first order slot (GEO_ORDERS). */
    private readonly ordersBase: number,
    /** Address of the per-slot extra records (GEO_ICEBERG). */
    private readonly extraBase: number,
    /** Address of the per-slot expiry times (GEO_EXPIRY). */
    private readonly expiryBase: number,
  ) {
    this.refresh();
  }

  /** Rebuild the typed-array views (the memory never grows after init, so once). */
  refresh(): void {
    const buffer = this.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  // ---- order slot at byte address `o` ----
  orderId(o: number): number {
    return this.f64[(o + ORDER_ID) >> 3];
  }
  /** What the order shows (an iceberg's reserve is elsewhere). */
  orderRem(o: number): number {
    return this.f64[(o + ORDER_REM) >> 3];
  }
  orderFilled(o: number): number {
    return this.f64[(o + ORDER_FILLED) >> 3];
  }
  orderOwner(o: number): number {
    return this.f64[(o + ORDER_OWNER) >> 3];
  }
  orderPrev(o: number): number {
    return this.u32[(o + ORDER_PREV) >> 2];
  }
  /** The next order of its level's queue (or of the free list), 0 at the end. */
  orderNext(o: number): number {
    return this.u32[(o + ORDER_NEXT) >> 2];
  }
  /** Price − minPrice (a stop market's is a band edge). */
  orderTick(o: number): number {
    return this.i32[(o + ORDER_TICK) >> 2];
  }
  orderSide(o: number): number {
    return this.u8[o + ORDER_SIDE];
  }
  orderStp(o: number): number {
    return this.u8[o + ORDER_STP];
  }
  orderPostOnly(o: number): boolean {
    return this.u8[o + ORDER_POST_ONLY] === 1;
  }
  /** KIND_PLAIN, KIND_ICEBERG, KIND_STOP_MARKET or KIND_STOP_LIMIT. */
  orderKind(o: number): number {
    return this.u8[o + ORDER_KIND];
  }
  isIceberg(o: number): boolean {
    return this.u8[o + ORDER_KIND] === KIND_ICEBERG;
  }
  /** Index of the slot at `o` in the per-slot regions. */
  slotOf(o: number): number {
    return (o - this.ordersBase) / ORDER_SIZE;
  }
  /** An iceberg's display quantity (its extra record's `a`). */
  icebergDisplay(o: number): number {
    return this.f64[(this.extraBase + this.slotOf(o) * EXTRA_SIZE + EXTRA_A) >> 3];
  }
  /** An iceberg's hidden reserve (its extra record's `b`). */
  icebergReserve(o: number): number {
    return this.f64[(this.extraBase + this.slotOf(o) * EXTRA_SIZE + EXTRA_B) >> 3];
  }
  /** A good-till-date order's expiry; 0: none. */
  orderExpiry(o: number): number {
    return this.f64[(this.expiryBase >> 3) + this.slotOf(o)];
  }

  // ---- price level record at byte address `L` ----
  levelTotal(L: number): number {
    return this.f64[(L + LEVEL_TOTAL) >> 3];
  }
  levelHead(L: number): number {
    return this.u32[(L + LEVEL_HEAD) >> 2];
  }
  levelTail(L: number): number {
    return this.u32[(L + LEVEL_TAIL) >> 2];
  }
  levelCount(L: number): number {
    return this.u32[(L + LEVEL_COUNT) >> 2];
  }
  levelSide(L: number): number {
    return this.u32[(L + LEVEL_SIDE) >> 2];
  }
}
