/**
 * Reading a command record back into a {@link Command}: the inverse of
 * encode.ts, for consumers of records that are not the matcher (the command
 * ring into a reference book, tests).
 */
import type { Command, Side, StpMode, TimeInForce } from '../types';
import * as C from './codes';
import { recordBytes } from './encode';

const INVALID_COMMAND = C.WASM_ERROR_CODES.indexOf('INVALID_COMMAND');

const INVALID = 'invalid';

function sideName(code: number): Side {
  return (code === 0 ? 'buy' : code === 1 ? 'sell' : INVALID) as Side;
}

function stpName(code: number): StpMode | undefined {
  if (code === C.STP_DEFAULT) return undefined;
  return (C.STP_CODES[code] ?? INVALID) as StpMode;
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
  const id = f64[i + (C.CMD_ID >> 3)];
  switch (u8[at + C.CMD_KIND]) {
    case C.CMD_LIMIT: {
      const tif = u8[at + C.CMD_TIF];
      const postOnly = u8[at + C.CMD_FLAGS];
      return {
        kind: 'limit',
        id,
        side: sideName(u8[at + C.CMD_SIDE]),
        price: field(C.CMD_PRICE >> 3),
        qty: field(C.CMD_QTY >> 3),
        timeInForce: (C.TIF_CODES[tif] ?? INVALID) as TimeInForce,
        postOnly: (postOnly === C.POST_ONLY_INVALID
          ? INVALID
          : postOnly === C.POST_ONLY_YES) as boolean,
        owner: ownerName(field(C.CMD_OWNER >> 3)),
        stp: stpName(u8[at + C.CMD_STP]),
        expiresAt: expiryName(field(C.CMD_EXPIRES_AT >> 3)),
        displayQty: expiryName(field(C.CMD_DISPLAY_QTY >> 3)),
      };
    }
    case C.CMD_MARKET: {
      const tif = u8[at + C.CMD_TIF];
      const flags = u8[at + C.CMD_MFLAGS];
      const byNotional = (flags & C.MKT_NOTIONAL) !== 0;
      const market: Command = {
        kind: 'market',
        id,
        side: sideName(u8[at + C.CMD_SIDE]),
        timeInForce: (tif === C.IOC || tif === C.FOK ? C.TIF_CODES[tif] : INVALID) as 'IOC',
        owner: ownerName(field(C.CMD_OWNER >> 3)),
        stp: stpName(u8[at + C.CMD_STP]),
      };
      if (byNotional) {
        market.notional = field(C.CMD_QTY >> 3);
        if (flags & C.MKT_QTY_TOO) market.qty = Number.NaN; // refused: both given
      } else {
        market.qty = field(C.CMD_QTY >> 3);
      }
      if (flags & C.MKT_PROTECTION) market.protectionPrice = field(C.CMD_PRICE >> 3);
      if (u8[at + C.CMD_FLAGS] !== C.POST_ONLY_NO)
        (market as { postOnly?: unknown }).postOnly = INVALID;
      return market;
    }
    case C.CMD_CANCEL:
      return { kind: 'cancel', id };
    case C.CMD_MODIFY: {
      const flags = u8[at + C.CMD_FLAGS];
      return {
        kind: 'modify',
        id,
        price: flags & C.MOD_HAS_PRICE ? field(C.CMD_PRICE >> 3) : undefined,
        qty: flags & C.MOD_HAS_QTY ? field(C.CMD_QTY >> 3) : undefined,
        trigger: flags & C.MOD_HAS_TRIGGER ? field(C.CMD_OWNER >> 3) : undefined,
      };
    }
    case C.CMD_STOP: {
      const tif = u8[at + C.CMD_TIF];
      return {
        kind: 'stop',
        id,
        side: sideName(u8[at + C.CMD_SIDE]),
        trigger: field(C.CMD_DISPLAY_QTY >> 3),
        price: u8[at + C.CMD_MFLAGS] & C.STOP_HAS_PRICE ? field(C.CMD_PRICE >> 3) : undefined,
        qty: field(C.CMD_QTY >> 3),
        timeInForce: (tif === C.STOP_TIF_UNSET
          ? undefined
          : (C.TIF_CODES[tif] ?? INVALID)) as TimeInForce,
        owner: ownerName(field(C.CMD_OWNER >> 3)),
        stp: stpName(u8[at + C.CMD_STP]),
        expiresAt: expiryName(field(C.CMD_EXPIRES_AT >> 3)),
      };
    }
    case C.CMD_ADVANCE_TIME:
      return { kind: 'advance-time', time: field(C.CMD_PRICE >> 3) };
    case C.CMD_REDUCE:
      return { kind: 'reduce', id, qty: field(C.CMD_QTY >> 3) };
    default:
      // CMD_REJECT: rebuild something refused with the same code and id
      if (u8[at + C.CMD_CODE] === INVALID_COMMAND) return null as unknown as Command;
      return { kind: INVALID, id } as unknown as Command;
  }
}
