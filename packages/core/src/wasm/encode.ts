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
  CMD_LIMIT,
  CMD_MARKET,
  CMD_MFLAGS,
  CMD_MODIFY,
  CMD_REDUCE,
  CMD_REJECT,
  CMD_SIZE,
  CMD_STOP,
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

/**
 * Write a record's optional trailing fields `a`, `b`, `c` at fields `from`,
 * `from + 1`, `from + 2` as far as the last non-zero one (a field left out
 * reads as 0), and its size in words in the header.
 * @returns the record's size in bytes.
 */
export function writeTail(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  from: number,
  a: number,
  b: number,
  c: number,
): number {
  const i = (at >> 3) + from;
  let words = from;
  if (c !== 0) {
    f64[i + 2] = c;
    f64[i + 1] = b;
    f64[i] = a;
    words += 3;
  } else if (b !== 0) {
    f64[i + 1] = b;
    f64[i] = a;
    words += 2;
  } else if (a !== 0) {
    f64[i] = a;
    words += 1;
  }
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

/** Write a CMD_REJECT record: the wasm emits `rejected {id, code}` at this point of the stream. */
function encodeReject(
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
  id: number,
  code: number,
): number {
  u8[at] = CMD_REJECT;
  u8[at + 5] = code;
  f64[(at >> 3) + 1] = id;
  return writeTail(u8, f64, at, 2, 0, 0, 0);
}

/** A limit order's record (the command's `kind` is not read). */
export function encodeLimit(c: LimitOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  const i = at >> 3;
  u8[at] = CMD_LIMIT;
  u8[at + 1] = sideCode(c.side);
  u8[at + 2] = limitTifCode(c.timeInForce);
  u8[at + 3] = limitPostOnlyCode(c.postOnly);
  u8[at + 4] = stpCode(c.stp);
  f64[i + 1] = num(c.id);
  f64[i + 2] = num(c.price);
  f64[i + 3] = num(c.qty);
  const owner = ownerCode(c.owner);
  return writeTail(u8, f64, at, 4, owner, expiryCode(c.expiresAt), displayCode(c.displayQty));
}

/** A market order's record. */
export function encodeMarket(
  c: MarketOrder,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  const i = at >> 3;
  u8[at] = CMD_MARKET;
  u8[at + 1] = sideCode(c.side);
  u8[at + 2] = marketTifCode(c.timeInForce);
  u8[at + 3] = marketPostOnlyCode((c as { postOnly?: unknown }).postOnly);
  u8[at + 4] = stpCode(c.stp);
  u8[at + CMD_MFLAGS] = marketFlags(c);
  f64[i + 1] = num(c.id);
  f64[i + 2] = num(c.protectionPrice);
  f64[i + 3] = marketSize(c);
  return writeTail(u8, f64, at, 4, ownerCode(c.owner), 0, 0);
}

/** A cancel's record. */
export function encodeCancel(id: unknown, u8: Uint8Array, f64: Float64Array, at: number): number {
  u8[at] = CMD_CANCEL;
  f64[(at >> 3) + 1] = num(id);
  return writeTail(u8, f64, at, 2, 0, 0, 0);
}

/** A modify's record: the new trigger, when given, in the `owner` field. */
export function encodeModify(
  c: ModifyRequest,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  const i = at >> 3;
  const flags = modifyFlags(c);
  u8[at] = CMD_MODIFY;
  u8[at + 3] = flags;
  f64[i + 1] = num(c.id);
  f64[i + 2] = num(c.price);
  f64[i + 3] = num(c.qty);
  return writeTail(u8, f64, at, 4, flags & MOD_HAS_TRIGGER ? num(c.trigger) : 0, 0, 0);
}

/** A stop order's record: the trigger in the `displayQty` field. */
export function encodeStop(c: StopOrder, u8: Uint8Array, f64: Float64Array, at: number): number {
  const i = at >> 3;
  u8[at] = CMD_STOP;
  u8[at + 1] = sideCode(c.side);
  u8[at + 2] = stopTifCode(c.timeInForce);
  u8[at + 4] = stpCode(c.stp);
  u8[at + CMD_MFLAGS] = c.price !== undefined ? STOP_HAS_PRICE : 0;
  f64[i + 1] = num(c.id);
  f64[i + 2] = num(c.price);
  f64[i + 3] = num(c.qty);
  return writeTail(u8, f64, at, 4, ownerCode(c.owner), expiryCode(c.expiresAt), num(c.trigger));
}

/** An advance-time record: the time in the `price` field. */
export function encodeAdvance(
  time: unknown,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  const i = at >> 3;
  u8[at] = CMD_ADVANCE_TIME;
  f64[i + 1] = 0;
  f64[i + 2] = num(time);
  return writeTail(u8, f64, at, 3, 0, 0, 0);
}

/** A reduce's record: the amount to take off in the `qty` field. */
export function encodeReduce(
  c: ReduceRequest,
  u8: Uint8Array,
  f64: Float64Array,
  at: number,
): number {
  const i = at >> 3;
  u8[at] = CMD_REDUCE;
  f64[i + 1] = num(c.id);
  f64[i + 2] = 0;
  f64[i + 3] = num(c.qty);
  return writeTail(u8, f64, at, 4, 0, 0, 0);
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
  const id = f64[i + 1];
  switch (u8[at]) {
    case CMD_LIMIT: {
      const tif = u8[at + 2];
      const postOnly = u8[at + 3];
      return {
        kind: 'limit',
        id,
        side: sideName(u8[at + 1]),
        price: field(2),
        qty: field(3),
        timeInForce: (TIF_CODES[tif] ?? INVALID) as TimeInForce,
        postOnly: (postOnly === POST_ONLY_INVALID
          ? INVALID
          : postOnly === POST_ONLY_YES) as boolean,
        owner: ownerName(field(4)),
        stp: stpName(u8[at + 4]),
        expiresAt: expiryName(field(5)),
        displayQty: expiryName(field(6)),
      };
    }
    case CMD_MARKET: {
      const tif = u8[at + 2];
      const flags = u8[at + CMD_MFLAGS];
      const byNotional = (flags & MKT_NOTIONAL) !== 0;
      const market: Command = {
        kind: 'market',
        id,
        side: sideName(u8[at + 1]),
        timeInForce: (tif === 1 || tif === 2 ? TIF_CODES[tif] : INVALID) as 'IOC',
        owner: ownerName(field(4)),
        stp: stpName(u8[at + 4]),
      };
      if (byNotional) {
        market.notional = field(3);
        if (flags & MKT_QTY_TOO) market.qty = Number.NaN; // refused: both given
      } else {
        market.qty = field(3);
      }
      if (flags & MKT_PROTECTION) market.protectionPrice = field(2);
      if (u8[at + 3] !== POST_ONLY_NO) (market as { postOnly?: unknown }).postOnly = INVALID;
      return market;
    }
    case CMD_CANCEL:
      return { kind: 'cancel', id };
    case CMD_MODIFY: {
      const flags = u8[at + 3];
      return {
        kind: 'modify',
        id,
        price: flags & MOD_HAS_PRICE ? field(2) : undefined,
        qty: flags & MOD_HAS_QTY ? field(3) : undefined,
        trigger: flags & MOD_HAS_TRIGGER ? field(4) : undefined,
      };
    }
    case CMD_STOP: {
      const tif = u8[at + 2];
      return {
        kind: 'stop',
        id,
        side: sideName(u8[at + 1]),
        trigger: field(6),
        price: u8[at + CMD_MFLAGS] & STOP_HAS_PRICE ? field(2) : undefined,
        qty: field(3),
        timeInForce: (tif === STOP_TIF_UNSET
          ? undefined
          : (TIF_CODES[tif] ?? INVALID)) as TimeInForce,
        owner: ownerName(field(4)),
        stp: stpName(u8[at + 4]),
        expiresAt: expiryName(field(5)),
      };
    }
    case CMD_ADVANCE_TIME:
      return { kind: 'advance-time', time: field(2) };
    case CMD_REDUCE:
      return { kind: 'reduce', id, qty: field(3) };
    default:
      // CMD_REJECT: rebuild something refused with the same code and id
      if (u8[at + 5] === INVALID_COMMAND) return null as unknown as Command;
      return { kind: INVALID, id } as unknown as Command;
  }
}
