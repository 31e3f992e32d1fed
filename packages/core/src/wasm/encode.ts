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
  StopOrder,
} from '../types';
import { commandIdOf } from '../validate';
import {
  CMD_ADVANCE_TIME,
  CMD_CANCEL,
  CMD_CODE,
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
  INVALID_ENUM,
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
  STP_DEFAULT,
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
export function modifyFlags(price: unknown, qty: unknown, trigger: unknown): number {
  return (
    (price !== undefined ? MOD_HAS_PRICE : 0) |
    (qty !== undefined ? MOD_HAS_QTY : 0) |
    (trigger !== undefined ? MOD_HAS_TRIGGER : 0)
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

/**
 * Sizing flags of a market order (MKT_*): which of qty, notional, protection
 * price it gives. Takes the values, not the order: each field of a command is
 * read once (a getter may answer differently the next time).
 */
export function marketFlags(qty: unknown, notional: unknown, protectionPrice: unknown): number {
  let flags = 0;
  if (notional !== undefined) {
    flags = MKT_NOTIONAL;
    if (qty !== undefined) flags |= MKT_QTY_TOO;
  }
  if (protectionPrice !== undefined) flags |= MKT_PROTECTION;
  return flags;
}

/** A market order's size: its notional when it gives one, else its qty. */
export function marketSize(qty: unknown, notional: unknown): number {
  return num(notional !== undefined ? notional : qty);
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

// The record's f64 fields as word indexes from its first word (layout.ts
// `Cmd`), written `(CMD_PRICE >> 3)`: the build folds the generated offsets
// into numbers, so the hot path reads no variable for them.

/**
 * Write a record's optional trailing fields `a`, `b`, `c` at words `from`,
 * `from + 1`, `from + 2`, and its size in the header: up to the last of them
 * that is not 0 (a field left out reads as 0; NaN, a refused value, is kept).
 * The record must have room for all three (CMD_SIZE from its start).
 * @returns the record's size in bytes.
 */
function writeTail(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  from: number,
  a: number,
  b: number,
  c: number,
): number {
  // all three are written (the record has room for them; what lies past its
  // end is the next record's to overwrite), then the size says how many count
  const i = (at >> 3) + from;
  f64[i] = a;
  f64[i + 1] = b;
  f64[i + 2] = c;
  const words = from + (c !== 0 ? 3 : b !== 0 ? 2 : a !== 0 ? 1 : 0);
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

// The record writers, one per command kind, from numeric codes: the object
// encoders below and CommandBuffer share them. Each writes the header bytes
// and fields its kind reads (a reused slot's other bytes are never read) at
// byte address `at` (8-aligned, with room for CMD_SIZE bytes) and returns the
// record's size in bytes.

export function writeLimit(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  side: number,
  price: number,
  qty: number,
  tif: number,
  postOnly: number,
  stp: number,
  owner: number,
  expiresAt: number,
  displayQty: number,
): number {
  u8[at + CMD_KIND] = CMD_LIMIT;
  u8[at + CMD_SIDE] = side;
  u8[at + CMD_TIF] = tif;
  u8[at + CMD_FLAGS] = postOnly;
  u8[at + CMD_STP] = stp;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = id;
  f64[i + (CMD_PRICE >> 3)] = price;
  f64[i + (CMD_QTY >> 3)] = qty;
  return writeTail(u8, f64, at, CMD_OWNER >> 3, owner, expiresAt, displayQty);
}

/** `size`: the qty, or the notional with MKT_NOTIONAL in `mflags`; `protection` in `price`. */
export function writeMarket(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  side: number,
  size: number,
  tif: number,
  postOnly: number,
  stp: number,
  mflags: number,
  protection: number,
  owner: number,
): number {
  u8[at + CMD_KIND] = CMD_MARKET;
  u8[at + CMD_SIDE] = side;
  u8[at + CMD_TIF] = tif;
  u8[at + CMD_FLAGS] = postOnly;
  u8[at + CMD_STP] = stp;
  u8[at + CMD_MFLAGS] = mflags;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = id;
  f64[i + (CMD_PRICE >> 3)] = protection;
  f64[i + (CMD_QTY >> 3)] = size;
  return writeTail(u8, f64, at, CMD_OWNER >> 3, owner, 0, 0);
}

export function writeCancel(u8: Uint8Array, f64: Float64Array, at: number, id: number): number {
  u8[at + CMD_KIND] = CMD_CANCEL;
  f64[(at >> 3) + (CMD_ID >> 3)] = id;
  u8[at + CMD_WORDS] = (CMD_ID >> 3) + 1;
  return ((CMD_ID >> 3) + 1) << 3;
}

/** `flags`: MOD_HAS_*; the new trigger goes in the `owner` field. */
export function writeModify(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  flags: number,
  price: number,
  qty: number,
  trigger: number,
): number {
  u8[at + CMD_KIND] = CMD_MODIFY;
  u8[at + CMD_FLAGS] = flags;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = id;
  f64[i + (CMD_PRICE >> 3)] = price;
  f64[i + (CMD_QTY >> 3)] = qty;
  return writeTail(u8, f64, at, CMD_OWNER >> 3, trigger, 0, 0);
}

/** `mflags`: STOP_HAS_PRICE for a stop limit; the trigger goes in the `displayQty` field. */
export function writeStop(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  side: number,
  trigger: number,
  mflags: number,
  price: number,
  qty: number,
  tif: number,
  stp: number,
  owner: number,
  expiresAt: number,
): number {
  u8[at + CMD_KIND] = CMD_STOP;
  u8[at + CMD_SIDE] = side;
  u8[at + CMD_TIF] = tif;
  u8[at + CMD_STP] = stp;
  u8[at + CMD_MFLAGS] = mflags;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = id;
  f64[i + (CMD_PRICE >> 3)] = price;
  f64[i + (CMD_QTY >> 3)] = qty;
  return writeTail(u8, f64, at, CMD_OWNER >> 3, owner, expiresAt, trigger);
}

/** The amount to take off goes in the `qty` field. */
export function writeReduce(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  qty: number,
): number {
  u8[at + CMD_KIND] = CMD_REDUCE;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = id;
  f64[i + (CMD_PRICE >> 3)] = 0;
  f64[i + (CMD_QTY >> 3)] = qty;
  u8[at + CMD_WORDS] = (CMD_QTY >> 3) + 1;
  return ((CMD_QTY >> 3) + 1) << 3;
}

/** The time goes in the `price` field. */
export function writeAdvance(u8: Uint8Array, f64: Float64Array, at: number, time: number): number {
  u8[at + CMD_KIND] = CMD_ADVANCE_TIME;
  const i = at >> 3;
  f64[i + (CMD_ID >> 3)] = 0;
  f64[i + (CMD_PRICE >> 3)] = time;
  u8[at + CMD_WORDS] = (CMD_PRICE >> 3) + 1;
  return ((CMD_PRICE >> 3) + 1) << 3;
}

/** A CMD_REJECT record: the wasm emits `rejected {id, code}` at this point of the stream. */
function writeReject(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  code: number,
): number {
  u8[at + CMD_KIND] = CMD_REJECT;
  u8[at + CMD_CODE] = code;
  f64[(at >> 3) + (CMD_ID >> 3)] = id;
  u8[at + CMD_WORDS] = (CMD_ID >> 3) + 1;
  return ((CMD_ID >> 3) + 1) << 3;
}

// The object encoders: a command's fields as given, enum strings turned into
// codes (an unknown value becomes INVALID_ENUM, a non-number NaN, so the
// matcher refuses it with the right code).

/** A limit order's record (the command's `kind` is not read). */
function encodeLimit(c: LimitOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  const tif = limitTifCode(c.timeInForce);
  const postOnly = limitPostOnlyCode(c.postOnly);
  const owner = ownerCode(c.owner);
  const side = sideCode(c.side);
  const x = expiryCode(c.expiresAt);
  const d = displayCode(c.displayQty);
  const stp = stpCode(c.stp);
  return writeLimit(
    u8,
    f64,
    at,
    num(c.id),
    side,
    num(c.price),
    num(c.qty),
    tif,
    postOnly,
    stp,
    owner,
    x,
    d,
  );
}

/** A market order's record. */
function encodeMarket(c: MarketOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  const tif = marketTifCode(c.timeInForce);
  const postOnly = marketPostOnlyCode((c as { postOnly?: unknown }).postOnly);
  const side = sideCode(c.side);
  const { qty, notional, protectionPrice } = c;
  const owner = ownerCode(c.owner);
  const stp = stpCode(c.stp);
  return writeMarket(
    u8,
    f64,
    at,
    num(c.id),
    side,
    marketSize(qty, notional),
    tif,
    postOnly,
    stp,
    marketFlags(qty, notional, protectionPrice),
    num(protectionPrice),
    owner,
  );
}

/** A cancel's record. */
function encodeCancel(id: unknown, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeCancel(u8, f64, at, num(id));
}

/** A modify's record. */
function encodeModify(c: ModifyRequest, u8: Uint8Array, f64: Float64Array, at: number): number {
  const { price, qty, trigger } = c; // each read once
  const flags = modifyFlags(price, qty, trigger);
  const triggerValue = flags & MOD_HAS_TRIGGER ? num(trigger) : 0;
  return writeModify(u8, f64, at, num(c.id), flags, num(price), num(qty), triggerValue);
}

/** A stop order's record. */
export function encodeStop(c: StopOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  const price = c.price; // read once: a getter may answer differently the next time
  const mflags = price !== undefined ? STOP_HAS_PRICE : 0;
  const tif = stopTifCode(c.timeInForce);
  const side = sideCode(c.side);
  const owner = ownerCode(c.owner);
  const x = expiryCode(c.expiresAt);
  const stp = stpCode(c.stp);
  const trigger = num(c.trigger);
  return writeStop(
    u8,
    f64,
    at,
    num(c.id),
    side,
    trigger,
    mflags,
    num(price),
    num(c.qty),
    tif,
    stp,
    owner,
    x,
  );
}

/** An advance-time record. */
function encodeAdvance(time: unknown, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeAdvance(u8, f64, at, num(time));
}

/** A reduce's record. */
function encodeReduce(c: ReduceRequest, u8: Uint8Array, f64: Float64Array, at: number): number {
  return writeReduce(u8, f64, at, num(c.id), num(c.qty));
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
    return writeReject(u8, f64, at, 0, INVALID_COMMAND);
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
      return writeReject(u8, f64, at, commandIdOf(command), INVALID_TYPE);
  }
}
