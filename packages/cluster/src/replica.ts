import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { headers, type MsgHdrs as MsgHeaders } from '@nats-io/transport-node';
import { type Book, type BookConfig, type BookEvent, createBook, restoreBook } from 'tickbook';
import { applyCommandMessage, RecentPlacements } from './apply';
import { EVENT_STREAM, eventSubject, LAST_SEQUENCE_HEADER, PART_HEADER } from './names';
import {
  type CommandResult,
  encodeEventMessage,
  formatPart,
  type MessageResults,
  type PartOf,
  parsePart,
  splitPayload,
} from './results';

/** Most command messages one event message carries. */
const MAX_RESULTS_PER_MESSAGE = 512;
/**
 * Most bytes one NATS message of the event stream takes (NATS's default
 * max_payload is 1 MiB). One command message's results beyond it go out in
 * parts (header `Tb-Part`).
 */
export const MAX_EVENT_MESSAGE_BYTES = 900 * 1024;

/**
 * The next event message of `symbol` to publish, from the front of
 * `pending` (consecutive command messages' results): as many command
 * messages as fit in `maxBytes` (at least one), and the last command
 * sequence it covers. It goes out as one NATS message, or, when one command
 * message's results alone exceed `maxBytes`, as its encoding cut into parts.
 */
export function nextEventMessage(
  symbol: string,
  pending: readonly MessageResults[],
  maxBytes = MAX_EVENT_MESSAGE_BYTES,
): { last: number; parts: Uint8Array[] } {
  let results = pending.slice(0, MAX_RESULTS_PER_MESSAGE);
  let last = results[results.length - 1].seq;
  let payload = encodeEventMessage({ symbol, last, results });
  while (payload.length > maxBytes && results.length > 1) {
    results = results.slice(0, Math.ceil(results.length / 2));
    last = results[results.length - 1].seq;
    payload = encodeEventMessage({ symbol, last, results });
  }
  return { last, parts: splitPayload(payload, maxBytes) };
}

/**
 * Headers of part `part` (from 1) of `parts` of the event message covering
 * up to command sequence `last`. Until its last part is stored a split
 * message covers only the command messages before `last`.
 */
export function eventHeaders(last: number, part: number, parts: number): MsgHeaders {
  const h = headers();
  h.set(LAST_SEQUENCE_HEADER, String(part === parts ? last : last - 1));
  if (parts > 1) h.set(PART_HEADER, formatPart({ seq: last, part, parts }));
  return h;
}

/** The dedupe id of a part of the event message covering up to `last`. */
function eventMessageId(symbol: string, last: number, part: number, parts: number): string {
  return parts === 1 ? `${symbol}:${last}` : `${symbol}:${last}:${part}/${parts}`;
}

/**
 * The events a command's result carries in the event stream: all but
 * `level-changed`. L2 updates are market data, which every read replica
 * (BookFollower) derives itself; leaving them out roughly halves what
 * gateways and the database sink decode. Compacts `events` in place (the
 * array a book call returned, owned by the caller): no second array per
 * command.
 */
export function published(events: BookEvent[]): BookEvent[] {
  let n = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type !== 'level-changed') events[n++] = e;
  }
  events.length = n;
  return events;
}

/**
 * Snapshot bytes as stored: the command sequence they cover (f64), the
 * recent placement ids (u32 count, then f64 each, oldest first), then the
 * book's snapshot.
 */
export function encodeStoredSnapshot(
  seq: number,
  recent: RecentPlacements,
  snapshot: Uint8Array,
): Uint8Array {
  const ids = recent.ids();
  const head = 12 + 8 * ids.length;
  const out = new Uint8Array(head + snapshot.length);
  const view = new DataView(out.buffer);
  view.setFloat64(0, seq, true);
  view.setUint32(8, ids.length, true);
  for (let i = 0; i < ids.length; i++) view.setFloat64(12 + 8 * i, ids[i], true);
  out.set(snapshot, head);
  return out;
}

export function decodeStoredSnapshot(bytes: Uint8Array): {
  seq: number;
  recent: RecentPlacements;
  snapshot: Uint8Array;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = view.getFloat64(0, true);
  const n = view.getUint32(8, true);
  const ids: number[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = view.getFloat64(12 + 8 * i, true);
  return { seq, recent: RecentPlacements.of(ids), snapshot: bytes.subarray(12 + 8 * n) };
}

/**
 * A symbol's book as its latest stored snapshot has it, with the command
 * sequence it covers; an empty book (sequence 0) when there is none.
 */
export async function loadBook(
  snapshots: ObjectStore,
  symbol: string,
  config: BookConfig,
): Promise<{ book: Book; seq: number; recent: RecentPlacements }> {
  const stored = await snapshots.getBlob(symbol);
  if (!stored) return { book: createBook(config), seq: 0, recent: new RecentPlacements() };
  const decoded = decodeStoredSnapshot(stored);
  return {
    book: restoreBook(decoded.snapshot, { engine: config.engine }),
    seq: decoded.seq,
    recent: decoded.recent,
  };
}

/**
 * One symbol's book on one matcher node: applies the symbol's command
 * messages in stream order, keeps their results until they are known to be in
 * the event stream, and — while this node leads the shard — publishes them.
 */
export class SymbolReplica {
  /** Sequence of the last command message applied. */
  lastApplied = 0;
  /** The command sequence of the snapshot this replica started from (0: an empty book). */
  restoredFrom = 0;
  /** Command messages applied since this replica started. */
  messages = 0;
  /** Results applied but not yet known to be in the event stream, in order. */
  private unpublished: MessageResults[] = [];
  /** The last command sequence the event stream covers for this symbol (as far as known). */
  lastPublished = 0;
  /** The event stream's own sequence of that message: the fence for the next publish. */
  private lastEventSeq = 0;
  /** The subject ends with part `part` of a split message not yet finished: continue after it. */
  private partial: PartOf | undefined;
  private leading = false;
  private publishing = false;
  private synced = false;
  private commandsSinceSnapshot = 0;
  private lastSnapshotAt = Date.now();
  private snapshotting = false;
  /** Set when publishing hit an error other than a lost race: shown by `status`. */
  lastError: string | undefined;

  private constructor(
    readonly symbol: string,
    public book: Book,
    private readonly recent: RecentPlacements,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly snapshots: ObjectStore,
    private readonly snapshotPolicy: { everyCommands: number; everyMs: number },
  ) {}

  /** Load the symbol's latest snapshot (or an empty book) and be ready to apply what follows it. */
  static async open(options: {
    symbol: string;
    config: BookConfig;
    js: JetStreamClient;
    jsm: JetStreamManager;
    snapshots: ObjectStore;
    snapshotEveryCommands: number;
    snapshotEveryMs: number;
  }): Promise<SymbolReplica> {
    const { book, seq, recent } = await loadBook(options.snapshots, options.symbol, options.config);
    const replica = new SymbolReplica(
      options.symbol,
      book,
      recent,
      options.js,
      options.jsm,
      options.snapshots,
      { everyCommands: options.snapshotEveryCommands, everyMs: options.snapshotEveryMs },
    );
    replica.lastApplied = seq;
    replica.restoredFrom = seq;
    return replica;
  }

  /** Apply one command message (its stream sequence and bytes). Deterministic. */
  apply(seq: number, data: Uint8Array): void {
    if (seq <= this.lastApplied) return; // a redelivery after a consumer reset
    const applied = applyCommandMessage(this.book, this.recent, data);
    const commands: CommandResult[] = applied.events.map((e, i) => {
      const events = published(e);
      const owner = (applied.commands[i] as { owner?: number } | undefined)?.owner;
      return owner === undefined ? { events } : { owner, events };
    });
    this.lastApplied = seq;
    this.messages++;
    this.commandsSinceSnapshot += commands.length;
    if (seq > this.lastPublished) this.unpublished.push({ seq, commands });
    if (this.leading) void this.publish();
  }

  /** Another node published up to `last` (seen on the event subject): forget those results. */
  published(last: number): void {
    if (last <= this.lastPublished) return;
    this.lastPublished = last;
    this.dropPublished();
  }

  private dropPublished(): void {
    let n = 0;
    while (n < this.unpublished.length && this.unpublished[n].seq <= this.lastPublished) n++;
    if (n > 0) this.unpublished.splice(0, n);
  }

  /** Become the shard's leader (or stop being it). */
  lead(leading: boolean): void {
    this.leading = leading;
    this.synced = false;
    if (leading) void this.publish();
  }

  /** Results waiting to be published (for status and tests). */
  get backlog(): number {
    return this.unpublished.length;
  }

  /** Read where the event stream ends for this symbol. */
  private async sync(): Promise<void> {
    const last = await this.jsm.streams
      .getMessage(EVENT_STREAM, { last_by_subj: eventSubject(this.symbol) })
      .catch((e: unknown) => {
        if (String(e).includes('no message found') || String(e).includes('not found')) return null;
        throw e;
      });
    this.partial = undefined;
    if (last) {
      this.lastEventSeq = last.seq;
      const covered = Number(last.header.get(LAST_SEQUENCE_HEADER));
      if (covered > this.lastPublished) this.lastPublished = covered;
      const part = parsePart(last.header.get(PART_HEADER));
      if (part && part.part < part.parts) this.partial = part;
    } else {
      this.lastEventSeq = 0;
    }
    this.dropPublished();
    this.synced = true;
  }

  /**
   * Publish results in order, one message at a time, each expected to follow
   * the last message of the symbol's subject: a second publisher (a former
   * leader that has not noticed yet) makes the check fail, and this one
   * re-reads where the stream ends instead of writing out of order.
   */
  private async publish(): Promise<void> {
    if (this.publishing) return;
    this.publishing = true;
    try {
      while (this.leading) {
        if (!this.synced) await this.sync();
        this.dropPublished();
        if (this.unpublished.length === 0) break;
        // Under NATS's default 1 MB payload limit: a backlog (after a
        // takeover) goes out in as many messages as its size needs, and one
        // command message's results larger than that in parts.
        const { last, parts } = nextEventMessage(this.symbol, this.unpublished);
        // the subject ends inside this very message (stored by this node or a
        // predecessor): continue after its last stored part
        const resume = this.partial;
        let part =
          resume && resume.seq === last && resume.parts === parts.length ? resume.part + 1 : 1;
        while (this.leading && part <= parts.length && (await this.publishPart(last, parts, part)))
          part++;
        if (part > parts.length) {
          if (last > this.lastPublished) this.lastPublished = last;
          this.partial = undefined;
        }
      }
    } catch (e) {
      this.lastError = String(e);
      this.synced = false;
      setTimeout(() => void this.publish(), 100);
    } finally {
      this.publishing = false;
    }
    if (this.leading && this.unpublished.length > 0 && !this.publishing) void this.publish();
  }

  /**
   * Store part `part` (from 1) of the event message covering up to `last`.
   * False when it was not stored as the subject's next message (NATS away, a
   * lost race, or a duplicate of a part already stored): the caller stops,
   * and the next round re-reads where the subject ends.
   */
  private async publishPart(last: number, parts: Uint8Array[], part: number): Promise<boolean> {
    try {
      const ack = await this.js.publish(eventSubject(this.symbol), parts[part - 1], {
        msgID: eventMessageId(this.symbol, last, part, parts.length),
        expect: { lastSubjectSequence: this.lastEventSeq },
        headers: eventHeaders(last, part, parts.length),
      });
      this.lastError = undefined;
      if (ack.duplicate) {
        this.synced = false;
        // stored before: the whole message is in when this was its last part
        if (part === parts.length && last > this.lastPublished) this.lastPublished = last;
        return false;
      }
      this.lastEventSeq = ack.seq;
      if (part < parts.length) this.partial = { seq: last, part, parts: parts.length };
      return true;
    } catch (e) {
      this.lastError = String(e);
      this.synced = false;
      // A lost race needs no pause; NATS being away does.
      if (!String(e).includes('wrong last sequence')) await new Promise((r) => setTimeout(r, 100));
      return false;
    }
  }

  /** Whether a snapshot is due by the policy. */
  snapshotDue(): boolean {
    if (this.snapshotting || this.commandsSinceSnapshot === 0) return false;
    return (
      this.commandsSinceSnapshot >= this.snapshotPolicy.everyCommands ||
      Date.now() - this.lastSnapshotAt >= this.snapshotPolicy.everyMs
    );
  }

  /**
   * Store a snapshot covering `lastApplied`. The bytes are taken now, between
   * messages; the upload runs in the background.
   */
  async snapshot(): Promise<void> {
    if (this.snapshotting) return;
    this.snapshotting = true;
    const bytes = encodeStoredSnapshot(this.lastApplied, this.recent, this.book.snapshot());
    this.commandsSinceSnapshot = 0;
    this.lastSnapshotAt = Date.now();
    try {
      await this.snapshots.putBlob({ name: this.symbol }, bytes);
    } finally {
      this.snapshotting = false;
    }
  }
}
