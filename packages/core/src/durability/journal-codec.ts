/**
 * Journal bytes: a header naming the book's configuration and the sequence
 * number it starts after, then one length-prefixed, checksummed record per
 * acknowledged call (a per-order call or a whole batch) holding the commands
 * it applied, numbered from the record's first sequence. A batch is
 * acknowledged only after its record is written, so a torn last record only
 * ever holds unacknowledged commands.
 *
 * ```
 * header: "TKBJ" | u32 version | config (see snapshot.ts)
 *         | f64 base sequence (version 5): the journal holds the commands after it; a journal
 *           started by a checkpoint needs the snapshot taken at (or after) its base
 * record: u32 payload length | u32 CRC-32 of payload | payload   (one per batch)
 * payload: f64 sequence of its first command | u32 count | count × command
 * command: u8 kind | fields of the kind:
 *   limit  f64 id | u8 side | f64 price | f64 qty | u8 tif | u8 postOnly | f64 owner | u8 stp
 *          | f64 expiresAt (0 = none; version 2) | f64 displayQty (0 = none; version 3)
 *   market f64 id | u8 side | u8 has (1 qty, 2 notional, 4 protection) | f64 qty or notional
 *          | [f64 protectionPrice if has & 4] | u8 tif | f64 owner | u8 stp   (version 2)
 *   market f64 id | u8 side | f64 qty | u8 tif | f64 owner | u8 stp          (version 1)
 *   cancel f64 id
 *   modify f64 id | u8 has (1 price, 2 qty) | f64 price | f64 qty
 *   reduce f64 id | f64 qty                                                  (version 2)
 *   advance-time f64 time                                                    (version 2)
 *   stop   f64 id | u8 side | f64 trigger | u8 has (1 price) | f64 price (0 = none) | f64 qty
 *          | u8 tif | f64 owner | u8 stp | f64 expiresAt (0 = none)          (version 4)
 * modify (version 4): f64 id | u8 has (1 price, 2 qty, 4 trigger) | f64 price | f64 qty | f64 trigger
 * ```
 * Version 5 added the header's base sequence (checkpoints; older journals start at 0).
 * Version 4 added stop orders and modify's trigger.
 * Version 2 added reduce, market orders sized by notional with protection
 * prices, good-till-date expiries and advance-time; version 3 added iceberg
 * display quantities; version-1 and version-2 journals still
 * decode.
 * Optional fields: tif 0 = not given; postOnly 2 = not given; owner 0 = none;
 * stp 255 = not given (the book's default applies on replay).
 */
import type { ResolvedConfig } from '../config';
import { STP_MODES } from '../config';
import { TickbookError } from '../errors';
import type { BookConfig, Command, Side, StpMode, TimeInForce } from '../types';
import { ByteReader, ByteWriter } from './byte-codec';
import { crc32 } from './crc32';
import { readConfig, writeConfig } from './snapshot';

const MAGIC = 0x4a424b54; // "TKBJ" little-endian
/** Journal format version this code writes; it reads every version from 1 up. */
export const JOURNAL_VERSION = 5;
/** Oldest journal version this code still reads. */
const OLDEST_JOURNAL_VERSION = 1;
const SIDES: readonly Side[] = ['buy', 'sell'];
const TIFS: readonly (TimeInForce | undefined)[] = [undefined, 'GTC', 'IOC', 'FOK'];
const KINDS = ['limit', 'market', 'cancel', 'modify', 'reduce', 'advance-time', 'stop'] as const;
const STP_UNSET = 255;
const RECORD_HEADER = 8;

/** The header of a journal holding the commands after `baseSequence`. */
export function encodeJournalHeader(config: ResolvedConfig, baseSequence = 0): Uint8Array {
  const w = new ByteWriter();
  w.u32(MAGIC).u32(JOURNAL_VERSION);
  writeConfig(w, config);
  w.f64(baseSequence);
  return w.toBytes();
}

const stpCode = (stp: StpMode | undefined) =>
  stp === undefined ? STP_UNSET : STP_MODES.indexOf(stp);

/**
 * Start a record (one per batch of applied commands) at the end of `w`;
 * returns its start for {@link endRecord}.
 */
export function beginRecord(w: ByteWriter, firstSequence: number): number {
  const start = w.length;
  w.u32(0).u32(0).f64(firstSequence).u32(0);
  return start;
}

/** Append one applied command to the open record. */
export function writeCommand(w: ByteWriter, command: Command): void {
  w.u8(KINDS.indexOf(command.kind));
  switch (command.kind) {
    case 'limit':
      w.f64(command.id).u8(SIDES.indexOf(command.side)).f64(command.price).f64(command.qty);
      w.u8(TIFS.indexOf(command.timeInForce));
      w.u8(command.postOnly === undefined ? 2 : command.postOnly ? 1 : 0);
      w.f64(command.owner ?? 0).u8(stpCode(command.stp));
      w.f64(command.expiresAt ?? 0);
      w.f64(command.displayQty ?? 0);
      break;
    case 'market': {
      const byNotional = command.notional !== undefined;
      const protection = command.protectionPrice;
      w.f64(command.id).u8(SIDES.indexOf(command.side));
      w.u8((byNotional ? 2 : 1) | (protection !== undefined ? 4 : 0));
      w.f64(byNotional ? (command.notional as number) : (command.qty as number));
      if (protection !== undefined) w.f64(protection);
      w.u8(TIFS.indexOf(command.timeInForce));
      w.f64(command.owner ?? 0).u8(stpCode(command.stp));
      break;
    }
    case 'cancel':
      w.f64(command.id);
      break;
    case 'modify':
      w.f64(command.id);
      w.u8(
        (command.price !== undefined ? 1 : 0) |
          (command.qty !== undefined ? 2 : 0) |
          (command.trigger !== undefined ? 4 : 0),
      );
      w.f64(command.price ?? 0)
        .f64(command.qty ?? 0)
        .f64(command.trigger ?? 0);
      break;
    case 'stop':
      w.f64(command.id).u8(SIDES.indexOf(command.side)).f64(command.trigger);
      w.u8(command.price !== undefined ? 1 : 0)
        .f64(command.price ?? 0)
        .f64(command.qty);
      w.u8(TIFS.indexOf(command.timeInForce));
      w.f64(command.owner ?? 0).u8(stpCode(command.stp));
      w.f64(command.expiresAt ?? 0);
      break;
    case 'reduce':
      w.f64(command.id).f64(command.qty);
      break;
    case 'advance-time':
      w.f64(command.time);
      break;
  }
}

/** Close the record opened at `start` holding `count` commands: length, count, checksum. */
export function endRecord(w: ByteWriter, start: number, count: number): void {
  const end = w.length;
  w.patchU32(start, end - start - RECORD_HEADER);
  w.patchU32(start + RECORD_HEADER + 8, count);
  w.patchU32(start + 4, crc32(w.written(), start + RECORD_HEADER, end));
}

/** One record holding one command (tests, tools). */
export function writeRecord(w: ByteWriter, sequence: number, command: Command): void {
  const start = beginRecord(w, sequence);
  writeCommand(w, command);
  endRecord(w, start, 1);
}

/** Read one command written by {@link writeCommand} in journal format `version`. */
export function readCommand(r: ByteReader, version: number): Command {
  const kind = KINDS[r.u8()];
  const bad = () => new TickbookError('CORRUPT_DATA', 'bad journal record');
  const side = () =>
    SIDES[r.u8()] ??
    (() => {
      throw bad();
    })();
  const tif = () => {
    const code = r.u8();
    if (code >= TIFS.length) throw bad();
    return TIFS[code];
  };
  const stp = (): StpMode | undefined => {
    const code = r.u8();
    if (code === STP_UNSET) return undefined;
    return (
      STP_MODES[code] ??
      (() => {
        throw bad();
      })()
    );
  };
  const owner = () => r.f64() || undefined;
  switch (kind) {
    case 'limit': {
      const id = r.f64();
      const s = side();
      const price = r.f64();
      const qty = r.f64();
      const timeInForce = tif();
      const p = r.u8();
      const postOnly = p === 2 ? undefined : p === 1;
      const ownerValue = owner();
      const stpValue = stp();
      const expiresAt = version >= 2 ? r.f64() || undefined : undefined;
      const displayQty = version >= 3 ? r.f64() || undefined : undefined;
      return withoutUndefined({
        kind,
        id,
        side: s,
        price,
        qty,
        timeInForce,
        postOnly,
        owner: ownerValue,
        stp: stpValue,
        expiresAt,
        displayQty,
      });
    }
    case 'market': {
      const id = r.f64();
      const s = side();
      const has = version >= 2 ? r.u8() : 1;
      if ((has & 3) === 0 || (has & 3) === 3 || has > 7) throw bad();
      const size = r.f64();
      const protectionPrice = has & 4 ? r.f64() : undefined;
      const timeInForce = tif() as 'IOC' | 'FOK' | undefined;
      return withoutUndefined({
        kind,
        id,
        side: s,
        qty: has & 1 ? size : undefined,
        notional: has & 2 ? size : undefined,
        protectionPrice,
        timeInForce,
        owner: owner(),
        stp: stp(),
      });
    }
    case 'cancel':
      return { kind, id: r.f64() };
    case 'modify': {
      const id = r.f64();
      const has = r.u8();
      const price = r.f64();
      const qty = r.f64();
      const trigger = version >= 4 ? r.f64() : 0;
      return withoutUndefined({
        kind,
        id,
        price: has & 1 ? price : undefined,
        qty: has & 2 ? qty : undefined,
        trigger: has & 4 ? trigger : undefined,
      });
    }
    case 'stop': {
      if (version < 4) throw bad();
      const id = r.f64();
      const s = side();
      const trigger = r.f64();
      const has = r.u8();
      const price = r.f64();
      const qty = r.f64();
      return withoutUndefined({
        kind,
        id,
        side: s,
        trigger,
        price: has & 1 ? price : undefined,
        qty,
        timeInForce: tif(),
        owner: owner(),
        stp: stp(),
        expiresAt: r.f64() || undefined,
      });
    }
    case 'reduce': {
      const id = r.f64();
      return { kind, id, qty: r.f64() };
    }
    case 'advance-time':
      return { kind, time: r.f64() };
    default:
      throw bad();
  }
}

function withoutUndefined<T extends object>(o: T): T {
  // A fresh object, not `delete`: deleting keys turns an object into a slow
  // dictionary, and decoded commands are read on the hot path of a replay.
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** One journalled command and the sequence number it was applied as. */
export interface JournalRecord {
  sequence: number;
  command: Command;
}

/**
 * Where journal bytes come from: a file read piece by piece, so reading a
 * journal of any length (over 2 GiB included) takes memory for one record at
 * a time, or bytes already in memory.
 */
export interface JournalSource {
  /** Total bytes. */
  readonly size: number;
  /** Copy `length` bytes from `position` into `into` (from 0); returns how many it copied. */
  read(into: Uint8Array, position: number, length: number): number;
}

/** Journal bytes in memory as a {@link JournalSource}. */
export function bytesSource(bytes: Uint8Array): JournalSource {
  return {
    size: bytes.length,
    read(into, position, length) {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      return n;
    },
  };
}

/** What a journal's header says. */
export interface JournalHeader {
  config: Omit<BookConfig, 'engine'>;
  /** The journal holds the commands after this sequence (0 before version 5). */
  baseSequence: number;
}

/** Where the records of a read journal ended: the whole ones, and a torn last one. */
export interface JournalEnd {
  /** Bytes of whole, valid records (header included): where appending may resume. */
  validLength: number;
  /** True when a torn last record (a crash mid-write) was dropped; it began at `validLength`. */
  tornTail: boolean;
}

/** The largest header a journal can have (magic, version, config, base sequence). */
const MAX_HEADER = 64;

/**
 * Read a journal record by record: `header` at once, then `records()` yields
 * each command with its sequence, holding one record in memory at a time.
 * After the records are read, `end()` says where the valid ones ended. A torn
 * last record is dropped and reported; any other damage throws.
 * @throws {@link TickbookError} `CORRUPT_DATA`, `UNSUPPORTED_VERSION`.
 */
export function readJournal(source: JournalSource): {
  header: JournalHeader;
  records: () => Generator<JournalRecord>;
  end: () => JournalEnd;
} {
  const head = new Uint8Array(Math.min(MAX_HEADER, source.size));
  const r = new ByteReader(head, 0, source.read(head, 0, head.length), 'journal');
  if (r.u32() !== MAGIC) throw new TickbookError('CORRUPT_DATA', 'not a tickbook journal');
  const version = r.u32();
  if (version < OLDEST_JOURNAL_VERSION || version > JOURNAL_VERSION) {
    throw new TickbookError('UNSUPPORTED_VERSION', `journal version ${version}`);
  }
  const config = readConfig(r);
  const baseSequence = version >= 5 ? r.f64() : 0;
  if (!(baseSequence >= 0 && Number.isSafeInteger(baseSequence))) {
    throw new TickbookError('CORRUPT_DATA', 'bad journal base sequence');
  }
  const done: JournalEnd = { validLength: r.offset, tornTail: false };
  let finished = false;
  const records = function* (): Generator<JournalRecord> {
    const size = source.size;
    const recordHead = new Uint8Array(RECORD_HEADER);
    const headView = new DataView(recordHead.buffer);
    let payload = new Uint8Array(4096);
    let at = done.validLength;
    while (at < size) {
      if (size - at < RECORD_HEADER) {
        done.tornTail = true;
        break;
      }
      source.read(recordHead, at, RECORD_HEADER);
      const length = headView.getUint32(0, true);
      const sum = headView.getUint32(4, true);
      const end = at + RECORD_HEADER + length;
      if (end > size) {
        done.tornTail = true; // the write of the last record never finished
        break;
      }
      if (payload.length < length) payload = new Uint8Array(Math.max(length, payload.length * 2));
      source.read(payload, at + RECORD_HEADER, length);
      if (crc32(payload, 0, length) !== sum) {
        if (end === size) {
          done.tornTail = true; // last record only partly reached the disk
          break;
        }
        throw new TickbookError('CORRUPT_DATA', `journal record at byte ${at} fails its checksum`);
      }
      const p = new ByteReader(payload, 0, length, 'journal record');
      const first = p.f64();
      const count = p.u32();
      const commands: Command[] = [];
      for (let i = 0; i < count; i++) commands.push(readCommand(p, version));
      if (p.remaining !== 0) throw new TickbookError('CORRUPT_DATA', 'journal record too long');
      at = end;
      done.validLength = end;
      for (let i = 0; i < count; i++) yield { sequence: first + i, command: commands[i] };
    }
    finished = true;
  };
  return {
    header: { config, baseSequence },
    records,
    end: () => {
      if (!finished) throw new Error('journal: end() before every record was read');
      return done;
    },
  };
}

/** A whole journal decoded in memory: its header, every command, and where the valid records end. */
export interface DecodedJournal extends JournalHeader, JournalEnd {
  records: JournalRecord[];
}

/**
 * Decode a journal held in memory (see {@link readJournal} to stream one).
 * A torn last record is dropped and reported; any other damage throws.
 * @throws {@link TickbookError} `CORRUPT_DATA`, `UNSUPPORTED_VERSION`.
 */
export function decodeJournal(bytes: Uint8Array): DecodedJournal {
  const reader = readJournal(bytesSource(bytes));
  const records = [...reader.records()];
  return { ...reader.header, records, ...reader.end() };
}
