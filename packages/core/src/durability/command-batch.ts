import { STP_MODES } from '../config';
import { TickbookError } from '../errors';
import type { Command, StpMode } from '../types';
import { ByteReader, ByteWriter } from './byte-codec';
import { JOURNAL_VERSION, readCommand, writeCommand } from './journal-codec';

const MAGIC = 0x43424b54; // "TKBC" little-endian

type FieldKind = 'number' | 'nonzero' | 'side' | 'tif' | 'boolean' | 'stp';
const N: FieldKind = 'number';
// Every field each kind carries on the wire. A field the codec cannot carry
// as given (a string price, a key it does not know, an owner of 0 that reads
// back as none) is refused at encoding, so what decodes is what was sent.
const FIELDS: Record<string, Record<string, FieldKind>> = {
  limit: {
    id: N,
    side: 'side',
    price: N,
    qty: N,
    timeInForce: 'tif',
    postOnly: 'boolean',
    owner: 'nonzero',
    stp: 'stp',
    expiresAt: 'nonzero',
    displayQty: 'nonzero',
  },
  market: {
    id: N,
    side: 'side',
    qty: N,
    notional: N,
    protectionPrice: N,
    timeInForce: 'tif',
    owner: 'nonzero',
    stp: 'stp',
  },
  cancel: { id: N },
  modify: { id: N, price: N, qty: N, trigger: N },
  reduce: { id: N, qty: N },
  'advance-time': { time: N },
  stop: {
    id: N,
    side: 'side',
    trigger: N,
    price: N,
    qty: N,
    timeInForce: 'tif',
    owner: 'nonzero',
    stp: 'stp',
    expiresAt: 'nonzero',
  },
};
const REQUIRED: Record<string, string[]> = {
  limit: ['id', 'side', 'price', 'qty'],
  market: ['id', 'side'],
  cancel: ['id'],
  modify: ['id'],
  reduce: ['id', 'qty'],
  'advance-time': ['time'],
  stop: ['id', 'side', 'trigger', 'qty'],
};

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'number':
      return typeof v === 'number' && !Number.isNaN(v);
    case 'nonzero':
      return typeof v === 'number' && !Number.isNaN(v) && v !== 0;
    case 'side':
      return v === 'buy' || v === 'sell';
    case 'tif':
      return v === 'GTC' || v === 'IOC' || v === 'FOK';
    case 'boolean':
      return typeof v === 'boolean';
    case 'stp':
      return STP_MODES.includes(v as StpMode);
  }
}

function encodable(command: Command): boolean {
  if (typeof command !== 'object' || command === null) return false;
  const fields = FIELDS[command.kind];
  if (fields === undefined || !Object.hasOwn(FIELDS, command.kind)) return false;
  const record = command as unknown as Record<string, unknown>;
  // for-in over own keys: no array of entries per command (this runs per order on the wire path).
  for (const key in record) {
    if (key === 'kind' || !Object.hasOwn(record, key)) continue;
    const v = record[key];
    if (v === undefined) continue;
    const kind = fields[key];
    if (kind === undefined || !Object.hasOwn(fields, key) || !fits(kind, v)) return false;
  }
  for (const key of REQUIRED[command.kind]) {
    if (record[key] === undefined) return false;
  }
  if (
    command.kind === 'market' &&
    (command.qty === undefined) === (command.notional === undefined)
  ) {
    return false;
  }
  return true;
}

/**
 * Encode commands as bytes for a wire or a log (a message queue, a socket):
 * the journal's command format, so one definition serves both. Decode with
 * {@link decodeCommands}. Field values are carried as given (the matcher
 * validates them); a field of the wrong type or one a command kind does not
 * have is refused here, so the decoded commands equal the encoded ones.
 * @throws {@link TickbookError} `INVALID_COMMAND` when a command cannot be carried as given.
 */
export function encodeCommands(commands: readonly Command[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(MAGIC).u32(JOURNAL_VERSION).u32(commands.length);
  for (const command of commands) {
    if (!encodable(command)) {
      throw new TickbookError('INVALID_COMMAND', 'not a command the wire can carry as given');
    }
    writeCommand(w, command);
  }
  return w.toBytes();
}

/**
 * Decode bytes written by {@link encodeCommands} (by this or an older version).
 * @throws {@link TickbookError} `CORRUPT_DATA`, `UNSUPPORTED_VERSION`.
 */
export function decodeCommands(bytes: Uint8Array): Command[] {
  const r = new ByteReader(bytes, 0, bytes.length, 'command batch');
  if (r.u32() !== MAGIC) throw new TickbookError('CORRUPT_DATA', 'not a tickbook command batch');
  const version = r.u32();
  if (version < 4 || version > JOURNAL_VERSION) {
    throw new TickbookError('UNSUPPORTED_VERSION', `command batch version ${version}`);
  }
  const count = r.u32();
  const commands: Command[] = [];
  for (let i = 0; i < count; i++) commands.push(readCommand(r, version));
  if (r.remaining !== 0) throw new TickbookError('CORRUPT_DATA', 'command batch too long');
  return commands;
}
