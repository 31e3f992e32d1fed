/**
 * Reading a command record back into a {@link Command}: the inverse of
 * encode.ts, for consumers of records that are not the matcher (the command
 * ring into a reference book, tests).
 */
import type { Command, Side, StpMode, TimeInForce } from '../types';
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
  CMD_SIDE,
  CMD_STOP,
  CMD_STP,
  CMD_TIF,
  FOK,
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
import { recordBytes } from './encode';

const INVALID_COMMAND = WASM_ERROR_CODES.indexOf('INVALID_COMMAND');

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
  const id = f64[i + (CMD_ID >> 3)];
  switch (u8[at + CMD_KIND]) {
    case CMD_LIMIT: {
      const tif = u8[at + CMD_TIF];
      const postOnly = u8[at + CMD_FLAGS];
      return {
        kind: 'limit',
        id,
        side: sideName(u8[at + CMD_SIDE]),
        price: field(CMD_PRICE >> 3),
        qty: field(CMD_QTY >> 3),
        timeInForce: (TIF_CODES[tif] ?? INVALID) as TimeInForce,
        postOnly: (postOnly === POST_ONLY_INVALID
          ? INVALID
          : postOnly === POST_ONLY_YES) as boolean,
        owner: ownerName(field(CMD_OWNER >> 3)),
        stp: stpName(u8[at + CMD_STP]),
        expiresAt: expiryName(field(CMD_EXPIRES_AT >> 3)),
        displayQty: expiryName(field(CMD_DISPLAY_QTY >> 3)),
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
        owner: ownerName(field(CMD_OWNER >> 3)),
        stp: stpName(u8[at + CMD_STP]),
      };
      if (byNotional) {
        market.notional = field(CMD_QTY >> 3);
        if (flags & MKT_QTY_TOO) market.qty = Number.NaN; // refused: both given
      } else {
        market.qty = field(CMD_QTY >> 3);
      }
      if (flags & MKT_PROTECTION) market.protectionPrice = field(CMD_PRICE >> 3);
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
        price: flags & MOD_HAS_PRICE ? field(CMD_PRICE >> 3) : undefined,
        qty: flags & MOD_HAS_QTY ? field(CMD_QTY >> 3) : undefined,
        trigger: flags & MOD_HAS_TRIGGER ? field(CMD_OWNER >> 3) : undefined,
      };
    }
    case CMD_STOP: {
      const tif = u8[at + CMD_TIF];
      return {
        kind: 'stop',
        id,
        side: sideName(u8[at + CMD_SIDE]),
        trigger: field(CMD_DISPLAY_QTY >> 3),
        price: u8[at + CMD_MFLAGS] & STOP_HAS_PRICE ? field(CMD_PRICE >> 3) : undefined,
        qty: field(CMD_QTY >> 3),
        timeInForce: (tif === STOP_TIF_UNSET
          ? undefined
          : (TIF_CODES[tif] ?? INVALID)) as TimeInForce,
        owner: ownerName(field(CMD_OWNER >> 3)),
        stp: stpName(u8[at + CMD_STP]),
        expiresAt: expiryName(field(CMD_EXPIRES_AT >> 3)),
      };
    }
    case CMD_ADVANCE_TIME:
      return { kind: 'advance-time', time: field(CMD_PRICE >> 3) };
    case CMD_REDUCE:
      return { kind: 'reduce', id, qty: field(CMD_QTY >> 3) };
    default:
      // CMD_REJECT: rebuild something refused with the same code and id
      if (u8[at + CMD_CODE] === INVALID_COMMAND) return null as unknown as Command;
      return { kind: INVALID, id } as unknown as Command;
  }
}
