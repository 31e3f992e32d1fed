/**
 * Encoding commands into the matcher's variable-length command records
 * (16-56 bytes, layout in codes.ts). Enum strings become codes here; everything else (is the id a
 * positive safe integer, is the price in band, …) is checked by the wasm, in
 * the order docs/semantics.md fixes, so one implementation serves the
 * per-order and batch paths. A value of the wrong JS type is sent as NaN or
 * {@link INVALID_ENUM}, which the wasm refuses with the right code.
 */
import type {
  Command,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  ReduceRequest,
  Side,
  StopOrder,
  StpMode,
  TimeInForce,
} from '../types';
import { commandIdOf } from '../validate';
import {
  CMD_ADVANCE_TIME,
  CMD_CANCEL,
  CMD_CODE,
  CMD_DISPLAY_QTY,
  CMD_EXPIRES_AT,
  CMD_FLAGS,
  CMD_ID,
  CMD_KIND,
  CMD_LIMIT,
  CMD_MARKET,
  CMD_MFLAGS,
  CMD_MODIFY,
  CMD_OWNER,
  CMD_PRICE,
  CMD_QTY,
  CMD_REDUCE,
  CMD_REJECT,
  CMD_SIDE,
  CMD_SIZE,
  CMD_STOP,
  CMD_STP,
  CMD_TIF,
  CMD_WORDS,
  FOK,
  INVALID_ENUM,
  IOC,
  MKT_NOTIONAL,
  MKT_PROTECTION,
  MKT_QTY_TOO,
  MOD_HAS_PRICE,
  MOD_HAS_QTY,
  MOD_HAS_TRIGGER,
  POST_ONLY_INVALID,
  POST_ONLY_NO,
  POST_ONLY_YES,
  STOP_HAS_PRICE,
  STOP_TIF_UNSET,
  STP_CODES,
  STP_DEFAULT,
  TIF_CODES,
  WASM_ERROR_CODES,
} from './codes';

/** A number as is; anything else as NaN (refused as invalid). */
export function num(x: unknown): number {
  return typeof x === 'number' ? x : Number.NaN;
}

export function sideCode(side: unknown): number {
  return side === 'buy' ? 0 : side === 'sell' ? 1 : INVALID_ENUM;
}

/** Limit TIF: undefined means GTC. */
export function limitTifCode(tif: unknown): number {
  if (tif === undefined || tif === 'GTC') return 0;
  return tif === 'IOC' ? 1 : tif === 'FOK' ? 2 : INVALID_ENUM;
}

/** Stop TIF: undefined is {@link STOP_TIF_UNSET}. */
export function stopTifCode(tif: unknown): number {
  if (tif === undefined) return STOP_TIF_UNSET;
  return tif === 'GTC' ? 0 : tif === 'IOC' ? 1 : tif === 'FOK' ? 2 : INVALID_ENUM;
}

/** Modify flags of a request. */
export function modifyFlags(c: { price?: unknown; qty?: unknown; trigger?: unknown }): number {
  return (
    (c.price !== undefined ? MOD_HAS_PRICE : 0) |
    (c.qty !== undefined ? MOD_HAS_QTY : 0) |
    (c.trigger !== undefined ? MOD_HAS_TRIGGER : 0)
  );
}

/** Market TIF: undefined means IOC; GTC is refused. */
export function marketTifCode(tif: unknown): number {
  if (tif === undefined || tif === 'IOC') return 1;
  return tif === 'FOK' ? 2 : INVALID_ENUM;
}

/** Limit post-only: undefined/false no, true yes, anything else invalid. */
export function limitPostOnlyCode(postOnly: unknown): number {
  if (postOnly === undefined || postOnly === false) return POST_ONLY_NO;
  return postOnly === true ? POST_ONLY_YES : POST_ONLY_INVALID;
}

/** Market post-only: only absent or false are allowed. */
export function marketPostOnlyCode(postOnly: unknown): number {
  return postOnly === undefined || postOnly === false ? POST_ONLY_NO : POST_ONLY_INVALID;
}

/** Sizing flags of a market order (MKT_*): which of qty, notional, protection price it gives. */
export function marketFlags(order: {
  qty?: unknown;
  notional?: unknown;
  protectionPrice?: unknown;
}): number {
  let flags = 0;
  if (order.notional !== undefined) {
    flags = MKT_NOTIONAL;
    if (order.qty !== undefined) flags |= MKT_QTY_TOO;
  }
  if (order.protectionPrice !== undefined) flags |= MKT_PROTECTION;
  return flags;
}

/** A market order's size: its notional when it gives one, else its qty. */
export function marketSize(order: { qty?: unknown; notional?: unknown }): number {
  return num(order.notional !== undefined ? order.notional : order.qty);
}

/** Good-till-date expiry: absent is 0; a present 0 or non-number is invalid (NaN). */
export function expiryCode(expiresAt: unknown): number {
  if (expiresAt === undefined) return 0;
  return typeof expiresAt === 'number' && expiresAt !== 0 ? expiresAt : Number.NaN;
}

/** Iceberg display quantity: absent is 0; a present 0 or non-number is invalid (NaN). */
export function displayCode(displayQty: unknown): number {
  if (displayQty === undefined) return 0;
  return typeof displayQty === 'number' && displayQty !== 0 ? displayQty : Number.NaN;
}

/** Owner: absent is 0; a present 0 or non-number is invalid (NaN). */
export function ownerCode(owner: unknown): number {
  if (owner === undefined) return 0;
  return typeof owner === 'number' && owner !== 0 ? owner : Number.NaN;
}

export function stpCode(stp: unknown): number {
  switch (stp) {
    case undefined:
      return STP_DEFAULT;
    case 'cancel-newest':
      return 0;
    case 'cancel-oldest':
      return 1;
    case 'cancel-both':
      return 2;
    case 'decrement-and-cancel':
      return 3;
    default:
      return INVALID_ENUM;
  }
}

const INVALID_COMMAND = WASM_ERROR_CODES.indexOf('INVALID_COMMAND');
const INVALID_TYPE = WASM_ERROR_CODES.indexOf('INVALID_TYPE');

// The record's f64 fields as word indexes from its first word (layout.ts `Cmd`).
const ID = CMD_ID >> 3;
const PRICE = CMD_PRICE >> 3;
const QTY = CMD_QTY >> 3;
const OWNER = CMD_OWNER >> 3;
const EXPIRES_AT = CMD_EXPIRES_AT >> 3;
const DISPLAY_QTY = CMD_DISPLAY_QTY >> 3;

/**
 * Write one command record at byte address `at` (8-aligned, with room for
 * {@link CMD_SIZE} bytes): the header, then the fields. The record ends at
 * its last field that is not 0 (the fields after it are left out and read as
 * 0), so a cancel takes 16 bytes and a plain limit order 32.
 * @returns the record's size in bytes.
 */
export function writeRecord(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  kind: number,
  side: number,
  tif: number,
  flags: number,
  stp: number,
  mflags: number,
  id: number,
  price: number,
  qty: number,
  owner: number,
  expiresAt: number,
  displayQty: number,
): number {
  u8[at + CMD_KIND] = kind;
  u8[at + CMD_SIDE] = side;
  u8[at + CMD_TIF] = tif;
  u8[at + CMD_FLAGS] = flags;
  u8[at + CMD_STP] = stp;
  u8[at + CMD_CODE] = 0;
  u8[at + CMD_MFLAGS] = mflags;
  const i = at >> 3;
  f64[i + ID] = id;
  f64[i + PRICE] = price;
  f64[i + QTY] = qty;
  f64[i + OWNER] = owner;
  f64[i + EXPIRES_AT] = expiresAt;
  f64[i + DISPLAY_QTY] = displayQty;
  // NaN (a refused value) is not 0, so it is kept
  const words =
    displayQty !== 0
      ? DISPLAY_QTY + 1
      : expiresAt !== 0
        ? EXPIRES_AT + 1
        : owner !== 0
          ? OWNER + 1
          : qty !== 0
            ? QTY + 1
            : price !== 0
              ? PRICE + 1
              : ID + 1;
  u8[at + CMD_WORDS] = words;
  return words << 3;
}

/** Size in bytes of a record whose header says `words` (clamped to 2-7, as the wasm does). */
export function bytesOfWords(words: number): number {
  return Math.min(Math.max(words, 2), CMD_SIZE >> 3) << 3;
}

/** Size in bytes of the record at `at`. */
export function recordBytes(u8: Uint8Array, at: number): number {
  return bytesOfWords(u8[at + CMD_WORDS]);
}

/** A CMD_REJECT record: the wasm emits `rejected {id, code}` at this point of the stream. */
function encodeReject(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  code: number,
): number {
  const size = writeRecord(u8, f64, at, CMD_REJECT, 0, 0, 0, 0, 0, id, 0, 0, 0, 0, 0);
  u8[at + CMD_CODE] = code;
  return size;
}

/** A limit order's record (the command's `kind` is not read). */
export function encodeLimit(c: LimitOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeRecord(
    u8,
    f64,
    at,
    CMD_LIMIT,
    sideCode(c.side),
    limitTifCode(c.timeInForce),
    limitPostOnlyCode(c.postOnly),
    stpCode(c.stp),
    0,
    num(c.id),
    num(c.price),
    num(c.qty),
    ownerCode(c.owner),
    expiryCode(c.expiresAt),
    displayCode(c.displayQty),
  );
}

/** A market order's record: its notional, when it has one, in `qty`; its protection price in `price`. */
export function encodeMarket(
  c: MarketOrder,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  return writeRecord(
    u8,
    f64,
    at,
    CMD_MARKET,
    sideCode(c.side),
    marketTifCode(c.timeInForce),
    marketPostOnlyCode((c as { postOnly?: unknown }).postOnly),
    stpCode(c.stp),
    marketFlags(c),
    num(c.id),
    num(c.protectionPrice),
    marketSize(c),
    ownerCode(c.owner),
    0,
    0,
  );
}

/** A cancel's record. */
export function encodeCancel(id: unknown, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeRecord(u8, f64, at, CMD_CANCEL, 0, 0, 0, 0, 0, num(id), 0, 0, 0, 0, 0);
}

/** A modify's record: the new trigger, when given, in the `owner` field. */
export function encodeModify(
  c: ModifyRequest,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  const flags = modifyFlags(c);
  const trigger = flags & MOD_HAS_TRIGGER ? num(c.trigger) : 0;
  const { id, price, qty } = c;
  return writeRecord(
    u8,
    f64,
    at,
    CMD_MODIFY,
    0,
    0,
    flags,
    0,
    0,
    num(id),
    num(price),
    num(qty),
    trigger,
    0,
    0,
  );
}

/** A stop order's record: the trigger in the `displayQty` field. */
export function encodeStop(c: StopOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeRecord(
    u8,
    f64,
    at,
    CMD_STOP,
    sideCode(c.side),
    stopTifCode(c.timeInForce),
    0,
    stpCode(c.stp),
    c.price !== undefined ? STOP_HAS_PRICE : 0,
    num(c.id),
    num(c.price),
    num(c.qty),
    ownerCode(c.owner),
    expiryCode(c.expiresAt),
    num(c.trigger),
  );
}

/** An advance-time record: the time in the `price` field. */
export function encodeAdvance(
  time: unknown,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  return writeRecord(u8, f64, at, CMD_ADVANCE_TIME, 0, 0, 0, 0, 0, 0, num(time), 0, 0, 0, 0);
}

/** A reduce's record: the amount to take off in the `qty` field. */
export function encodeReduce(
  c: ReduceRequest,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  return writeRecord(u8, f64, at, CMD_REDUCE, 0, 0, 0, 0, 0, num(c.id), 0, num(c.qty), 0, 0, 0);
}

/**
 * Encode one {@link Command} (of any shape) as the record at byte address `at`
 * (8-aligned, with room for {@link CMD_SIZE} bytes). Not an object, or an
 * unknown kind: a CMD_REJECT record with the refusal's code.
 * @returns the record's size in bytes.
 */
export function encodeCommand(
  command: unknown,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  if (typeof command !== 'object' || command === null) {
    return encodeReject(u8, f64, at, 0, INVALID_COMMAND);
  }
  const c = command as Command;
  switch (c.kind) {
    case 'limit':
      return encodeLimit(c, u8, f64, at);
    case 'cancel':
      return encodeCancel(c.id, u8, f64, at);
    case 'market':
      return encodeMarket(c, u8, f64, at);
    case 'modify':
      return encodeModify(c, u8, f64, at);
    case 'stop':
      return encodeStop(c, u8, f64, at);
    case 'advance-time':
      return encodeAdvance(c.time, u8, f64, at);
    case 'reduce':
      return encodeReduce(c, u8, f64, at);
    default:
      return encodeReject(u8, f64, at, commandIdOf(command), INVALID_TYPE);
  }
}

const INVALID = 'invalid';

function sideName(code: number): Side {
  return (code === 0 ? 'buy' : code === 1 ? 'sell' : INVALID) as Side;
}

function stpName(code: number): StpMode | undefined {
  if (code === STP_DEFAULT) return undefined;
  return (STP_CODES[code] ?? INVALID) as StpMode;
}

function expiryName(expiresAt: number): number | undefined {
  return expiresAt === 0 ? undefined : expiresAt;
}

function ownerName(owner: number): number | undefined {
  return owner === 0 ? undefined : owner;
}

/**
 * The inverse of {@link encodeCommand}: a {@link Command} that any engine
 * applies exactly as the wasm applies the record (same events, same
 * refusal code and id). Values the encoding refused stay refusable: an
 * invalid enum comes back as the string `'invalid'`, a non-number as NaN, an
 * INVALID_COMMAND record as `null`.
 */
export function decodeCommand(u8: Uint8Array, f64: Float64Array, at: number): Command {
  const i = at >> 3;
  const words = recordBytes(u8, at) >> 3;
  // a field left out of the record reads as 0, as in the wasm
  const field = (k: number): number => (k < words ? f64[i + k] : 0);
  const id = f64[i + ID];
  switch (u8[at + CMD_KIND]) {
    case CMD_LIMIT: {
      const tif = u8[at + CMD_TIF];
      const postOnly = u8[at + CMD_FLAGS];
      return {
        kind: 'limit',
        id,
        side: sideName(u8[at + CMD_SIDE]),
        price: field(PRICE),
        qty: field(QTY),
        timeInForce: (TIF_CODES[tif] ?? INVALID) as TimeInForce,
        postOnly: (postOnly === POST_ONLY_INVALID
          ? INVALID
          : postOnly === POST_ONLY_YES) as boolean,
        owner: ownerName(field(OWNER)),
        stp: stpName(u8[at + CMD_STP]),
        expiresAt: expiryName(field(EXPIRES_AT)),
        displayQty: expiryName(field(DISPLAY_QTY)),
      };
    }
    case CMD_MARKET: {
      const tif = u8[at + CMD_TIF];
      const flags = u8[at + CMD_MFLAGS];
      const byNotional = (flags & MKT_NOTIONAL) !== 0;
      const market: Command = {
        kind: 'market',
        id,
        side: sideName(u8[at + CMD_SIDE]),
        timeInForce: (tif === IOC || tif === FOK ? TIF_CODES[tif] : INVALID) as 'IOC',
        owner: ownerName(field(OWNER)),
        stp: stpName(u8[at + CMD_STP]),
      };
      if (byNotional) {
        market.notional = field(QTY);
        if (flags & MKT_QTY_TOO) market.qty = Number.NaN; // refused: both given
      } else {
        market.qty = field(QTY);
      }
      if (flags & MKT_PROTECTION) market.protectionPrice = field(PRICE);
      if (u8[at + CMD_FLAGS] !== POST_ONLY_NO)
        (market as { postOnly?: unknown }).postOnly = INVALID;
      return market;
    }
    case CMD_CANCEL:
      return { kind: 'cancel', id };
    case CMD_MODIFY: {
      const flags = u8[at + CMD_FLAGS];
      return {
        kind: 'modify',
        id,
        price: flags & MOD_HAS_PRICE ? field(PRICE) : undefined,
        qty: flags & MOD_HAS_QTY ? field(QTY) : undefined,
        trigger: flags & MOD_HAS_TRIGGER ? field(OWNER) : undefined,
      };
    }
    case CMD_STOP: {
      const tif = u8[at + CMD_TIF];
      return {
        kind: 'stop',
        id,
        side: sideName(u8[at + CMD_SIDE]),
        trigger: field(DISPLAY_QTY),
        price: u8[at + CMD_MFLAGS] & STOP_HAS_PRICE ? field(PRICE) : undefined,
        qty: field(QTY),
        timeInForce: (tif === STOP_TIF_UNSET
          ? undefined
          : (TIF_CODES[tif] ?? INVALID)) as TimeInForce,
        owner: ownerName(field(OWNER)),
        stp: stpName(u8[at + CMD_STP]),
        expiresAt: expiryName(field(EXPIRES_AT)),
      };
    }
    case CMD_ADVANCE_TIME:
      return { kind: 'advance-time', time: field(PRICE) };
    case CMD_REDUCE:
      return { kind: 'reduce', id, qty: field(QTY) };
    default:
      // CMD_REJECT: rebuild something refused with the same code and id
      if (u8[at + CMD_CODE] === INVALID_COMMAND) return null as unknown as Command;
      return { kind: INVALID, id } as unknown as Command;
  }
}
