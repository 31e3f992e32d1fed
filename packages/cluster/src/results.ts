import type { BookEvent } from 'tickbook';

/** The events of every command of one command message, in order. */
export interface MessageResults {
  /** The command message's sequence in the command stream. */
  seq: number;
  /** One entry per command of the message: the events it produced. */
  commands: CommandResult[];
}

/** One command's outcome. */
export interface CommandResult {
  /** The command's `owner`, when it had one (the account, for the database). */
  owner?: number;
  /** Its events, without `level-changed` (L2 updates come from read replicas). */
  events: BookEvent[];
}

/**
 * One message of the event stream: the results of consecutive command
 * messages of one symbol, those after `from - 1` up to `last` that exist for
 * the symbol. A leader publishes them strictly in order and without gaps.
 */
export interface EventMessage {
  symbol: string;
  /** The last command sequence covered (the next message covers only later ones). */
  last: number;
  results: MessageResults[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// JSON: events are objects already, and the consumers (gateways, the database
// sink) want objects; one encode per batch of command messages.
export function encodeEventMessage(message: EventMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

export function decodeEventMessage(bytes: Uint8Array): EventMessage {
  return JSON.parse(decoder.decode(bytes)) as EventMessage;
}

/** Where a part of a split event message belongs (header `Tb-Part`, `PART_HEADER`). */
export interface PartOf {
  /** The command sequence whose results the split message carries. */
  seq: number;
  /** This part, from 1. */
  part: number;
  parts: number;
}

export function formatPart(p: PartOf): string {
  return `${p.seq}:${p.part}/${p.parts}`;
}

/** A `Tb-Part` header value, or undefined when absent or malformed. */
export function parsePart(value: string | undefined): PartOf | undefined {
  const m = value ? /^(\d+):(\d+)\/(\d+)$/.exec(value) : null;
  if (!m) return undefined;
  const p = { seq: Number(m[1]), part: Number(m[2]), parts: Number(m[3]) };
  return p.part >= 1 && p.part <= p.parts ? p : undefined;
}

/**
 * An encoded event message cut into pieces of at most `max` bytes (one
 * piece when it fits). Deterministic: every replica of a shard cuts the same
 * results the same way, so a new leader can finish a message its
 * predecessor published only part of.
 */
export function splitPayload(payload: Uint8Array, max: number): Uint8Array[] {
  if (payload.length <= max) return [payload];
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += max) out.push(payload.subarray(at, at + max));
  return out;
}

interface Gathering {
  part: PartOf;
  chunks: Uint8Array[];
  /** Stream sequence of the first part (where a reader must resume to see it whole). */
  firstStreamSeq: number;
}

/**
 * Joins event messages published in parts. Feed it the event stream's
 * messages in order; the parts of one message are consecutive on their
 * symbol's subject, while other symbols' messages may come between them, so
 * it gathers per symbol. A part that does not continue what was gathered
 * (a reader that joined mid-message, or a leader that started the message
 * again from part 1) replaces it.
 */
export class EventMessageAssembler {
  private readonly gathering = new Map<string, Gathering>();

  /**
   * One message of the stream: the whole event message when `data` is one or
   * completes one, else undefined. `partHeader` is its `Tb-Part` header.
   */
  add(
    symbol: string,
    data: Uint8Array,
    partHeader: string | undefined,
    streamSeq = 0,
  ): EventMessage | undefined {
    const part = parsePart(partHeader);
    if (!part) {
      this.gathering.delete(symbol);
      return decodeEventMessage(data);
    }
    let g = this.gathering.get(symbol);
    const continues =
      g !== undefined &&
      g.part.seq === part.seq &&
      g.part.parts === part.parts &&
      g.part.part + 1 === part.part;
    if (!continues) {
      this.gathering.delete(symbol);
      if (part.part !== 1) return undefined; // its start was not seen
      g = { part, chunks: [], firstStreamSeq: streamSeq };
      this.gathering.set(symbol, g);
    }
    const gathered = g as Gathering;
    gathered.part = part;
    gathered.chunks.push(data);
    if (part.part < part.parts) return undefined;
    this.gathering.delete(symbol);
    return decodeEventMessage(Buffer.concat(gathered.chunks));
  }

  /** The stream sequence of the first part of the oldest message still incomplete, if any. */
  oldestIncomplete(): number | undefined {
    let oldest: number | undefined;
    for (const g of this.gathering.values()) {
      if (oldest === undefined || g.firstStreamSeq < oldest) oldest = g.firstStreamSeq;
    }
    return oldest;
  }
}

/** One stored message of the event stream, as a reader gets it. */
export interface StoredEventMessage {
  symbol: string;
  data: Uint8Array;
  /** Its `Tb-Part` header, if any. */
  part: string | undefined;
  /** Its sequence in the event stream. */
  seq: number;
}

/**
 * A batch of the event stream read in order: the event messages it
 * completes, and the stream sequence a reader that stops after it must
 * resume after to miss no part of a message still incomplete (the sequence
 * before that message's first part; the batch's last when none is).
 */
export function joinBatch(
  parts: EventMessageAssembler,
  batch: readonly StoredEventMessage[],
): { whole: EventMessage[]; resumeAfter: number } {
  const whole: EventMessage[] = [];
  for (const m of batch) {
    const message = parts.add(m.symbol, m.data, m.part, m.seq);
    if (message) whole.push(message);
  }
  const incomplete = parts.oldestIncomplete();
  const last = batch.length > 0 ? batch[batch.length - 1].seq : 0;
  return { whole, resumeAfter: incomplete === undefined ? last : incomplete - 1 };
}
