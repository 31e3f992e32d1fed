/**
 * A reusable buffer of binary commands for {@link WasmBook.applyEncoded}: the
 * fastest way to feed the WASM engine. Fill it once (numeric arguments, no
 * object per command), apply it any number of times.
 */
import type { Command, Side, StpMode, TimeInForce } from '../types';
import {
  CMD_SIZE,
  MKT_NOTIONAL,
  MKT_PROTECTION,
  POST_ONLY_NO,
  POST_ONLY_YES,
  STOP_HAS_PRICE,
  STOP_TIF_UNSET,
  STP_CODES,
  STP_DEFAULT,
  TIF_CODES,
} from './codes';
import {
  encodeCommand,
  modifyFlags,
  writeAdvance,
  writeCancel,
  writeLimit,
  writeMarket,
  writeModify,
  writeReduce,
  writeStop,
} from './encode';

/** Side code of {@link CommandBuffer}: {@link SIDE_BUY} or {@link SIDE_SELL}. */
export type SideCode = 0 | 1;
/** Side code of a buy order (also the `side` an {@link EventCursor} reads for a buy). */
export const SIDE_BUY = 0;
/** Side code of a sell order. */
export const SIDE_SELL = 1;

/** Time-in-force code of {@link CommandBuffer}: {@link TIF_GTC}, {@link TIF_IOC} or {@link TIF_FOK}. */
export type TifCode = 0 | 1 | 2;
/** Time-in-force code: good till cancelled. */
export const TIF_GTC = 0;
/** Time-in-force code: immediate or cancel. */
export const TIF_IOC = 1;
/** Time-in-force code: fill or kill. */
export const TIF_FOK = 2;

/** Self-trade prevention code of {@link CommandBuffer}: one of the `STP_*` constants. */
export type StpCode = 0 | 1 | 2 | 3 | 254;
/** Self-trade prevention code: `'cancel-newest'`. */
export const STP_CANCEL_NEWEST = 0;
/** Self-trade prevention code: `'cancel-oldest'`. */
export const STP_CANCEL_OLDEST = 1;
/** Self-trade prevention code: `'cancel-both'`. */
export const STP_CANCEL_BOTH = 2;
/** Self-trade prevention code: `'decrement-and-cancel'`. */
export const STP_DECREMENT_AND_CANCEL = 3;
/** Self-trade prevention code: the book's default mode (what an omitted `stp` means). */
export const STP_BOOK_DEFAULT = STP_DEFAULT;

/** Numeric code of a side, TIF or self-trade mode, for {@link CommandBuffer}. */
export const codeOf = {
  side: (side: Side): SideCode => (side === 'buy' ? 0 : 1),
  tif: (tif: TimeInForce): TifCode => TIF_CODES.indexOf(tif) as TifCode,
  stp: (stp: StpMode): StpCode => STP_CODES.indexOf(stp) as StpCode,
} as const;

/**
 * Binary commands, appended with numeric arguments: variable-length records
 * packed one after another (16 bytes for a cancel, 32 for a plain limit
 * order, at most 56; layout in codes.ts).
 */
export class CommandBuffer {
  /** Commands in the buffer. */
  length = 0;
  /** Bytes of {@link bytes} the records use. */
  byteLength = 0;
  /** The records (read-only: the engine trusts their sizes). */
  bytes: Uint8Array;
  private f64: Float64Array;

  /** @param capacity - initial room, in commands; the buffer grows as needed. */
  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(Math.max(1, capacity) * 32 + CMD_SIZE);
    this.f64 = new Float64Array(this.bytes.buffer);
  }

  /** Empty the buffer (keeps its memory). */
  clear(): void {
    this.length = 0;
    this.byteLength = 0;
  }

  /** Start a record: room for the largest. Returns its address. */
  private slot(): number {
    const at = this.byteLength;
    if (at + CMD_SIZE > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
      this.f64 = new Float64Array(bigger.buffer);
    }
    return at;
  }

  /** Count the record of `size` bytes just written at `at`. */
  private close(at: number, size: number): void {
    this.byteLength = at + size;
    this.length++;
  }

  /**
   * Append a limit order.
   * @param side - {@link SIDE_BUY} or {@link SIDE_SELL}.
   * @param tif - {@link TIF_GTC} (default), {@link TIF_IOC} or {@link TIF_FOK}.
   * @param owner - 0: none.
   * @param stp - an `STP_*` code ({@link codeOf} converts a mode name); omitted: the book's default.
   *
   * @example
   * ```ts
   * commands.limit(7, SIDE_SELL, 10_100, 5, TIF_IOC);
   * ```
   * @param expiresAt - good-till-date expiry (GTC only); 0: none.
   * @param displayQty - iceberg display quantity (GTC only, below `qty`); 0: none.
   */
  limit(
    id: number,
    side: SideCode,
    price: number,
    qty: number,
    tif: TifCode = TIF_GTC,
    postOnly = false,
    owner = 0,
    stp: StpCode = STP_BOOK_DEFAULT,
    expiresAt = 0,
    displayQty = 0,
  ): void {
    const po = postOnly ? POST_ONLY_YES : POST_ONLY_NO;
    const at = this.slot();
    const { bytes, f64 } = this;
    this.close(
      at,
      writeLimit(bytes, f64, at, id, side, price, qty, tif, po, stp, owner, expiresAt, displayQty),
    );
  }

  /** Append an advance-time: move the book's time to `time` and expire what is due. */
  advanceTime(time: number): void {
    const at = this.slot();
    this.close(at, writeAdvance(this.bytes, this.f64, at, time));
  }

  /**
   * Append a market order sized in lots.
   * @param tif - {@link TIF_IOC} (default) or {@link TIF_FOK}.
   * @param protectionPrice - worst price to trade at; omitted: none.
   */
  market(
    id: number,
    side: SideCode,
    qty: number,
    tif: TifCode = TIF_IOC,
    owner = 0,
    stp: StpCode = STP_BOOK_DEFAULT,
    protectionPrice?: number,
  ): void {
    this.marketRecord(id, side, qty, tif, owner, stp, 0, protectionPrice);
  }

  /**
   * Append a market order sized by quote amount: it spends (buy) or receives
   * (sell) at most `notional` ticks × lots. IOC only.
   * @param protectionPrice - worst price to trade at; omitted: none.
   */
  marketNotional(
    id: number,
    side: SideCode,
    notional: number,
    owner = 0,
    stp: StpCode = STP_BOOK_DEFAULT,
    protectionPrice?: number,
  ): void {
    this.marketRecord(id, side, notional, TIF_IOC, owner, stp, MKT_NOTIONAL, protectionPrice);
  }

  private marketRecord(
    id: number,
    side: SideCode,
    size: number,
    tif: TifCode,
    owner: number,
    stp: StpCode,
    flags: number,
    protectionPrice: number | undefined,
  ): void {
    const mflags = flags | (protectionPrice !== undefined ? MKT_PROTECTION : 0);
    const protection = protectionPrice ?? 0;
    const at = this.slot();
    this.close(
      at,
      writeMarket(
        this.bytes,
        this.f64,
        at,
        id,
        side,
        size,
        tif,
        POST_ONLY_NO,
        stp,
        mflags,
        protection,
        owner,
      ),
    );
  }

  /** Append a cancel. */
  cancel(id: number): void {
    const at = this.slot();
    this.close(at, writeCancel(this.bytes, this.f64, at, id));
  }

  /**
   * Append a modify; `price` / `qty` undefined keep the current value.
   * @param trigger - an untriggered stop's new trigger; undefined keeps it.
   */
  modify(id: number, price?: number, qty?: number, trigger?: number): void {
    const flags = modifyFlags(price, qty, trigger);
    const at = this.slot();
    this.close(
      at,
      writeModify(this.bytes, this.f64, at, id, flags, price ?? 0, qty ?? 0, trigger ?? 0),
    );
  }

  /**
   * Append a stop order: off the book until the last trade price reaches
   * `trigger`, then a market order (no `price`) or a limit order at `price`.
   * @param price - a stop limit's limit price; undefined: a stop market.
   * @param tif - omitted: GTC for a stop limit, IOC for a stop market.
   * @param expiresAt - good-till-date expiry; 0: none.
   */
  stop(
    id: number,
    side: SideCode,
    trigger: number,
    qty: number,
    price?: number,
    tif?: TifCode,
    owner = 0,
    stp: StpCode = STP_BOOK_DEFAULT,
    expiresAt = 0,
  ): void {
    const mflags = price !== undefined ? STOP_HAS_PRICE : 0;
    const t = tif ?? STOP_TIF_UNSET;
    const at = this.slot();
    this.close(
      at,
      writeStop(
        this.bytes,
        this.f64,
        at,
        id,
        side,
        trigger,
        mflags,
        price ?? 0,
        qty,
        t,
        stp,
        owner,
        expiresAt,
      ),
    );
  }

  /** Append a reduce: take `qty` lots off resting order `id`, keeping its priority. */
  reduce(id: number, qty: number): void {
    const at = this.slot();
    this.close(at, writeReduce(this.bytes, this.f64, at, id, qty));
  }

  /** Append any {@link Command} object (validated by the engine when applied, as `apply` does). */
  push(command: Command): void {
    const at = this.slot();
    this.byteLength = at + encodeCommand(command, this.bytes, this.f64, at);
    this.length++;
  }
}
