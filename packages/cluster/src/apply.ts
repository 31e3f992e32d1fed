import { type Book, type BookEvent, type Command, decodeCommands, isTickbookError } from 'tickbook';

/** How many of a symbol's latest accepted placements a retry is checked against. */
export const RECENT_PLACEMENTS = 100_000;

/**
 * The ids of a symbol's latest accepted order placements (limit, market,
 * stop), oldest first. Part of every replica's state, and of its snapshots:
 * a placement whose id is among them is refused `DUPLICATE_ID` before the
 * book sees it, so a request retried after its answer was lost (through any
 * gateway, in any message) is applied once.
 */
export class RecentPlacements {
  private readonly ring: Float64Array;
  private readonly set = new Set<number>();
  private head = 0;

  constructor(readonly capacity = RECENT_PLACEMENTS) {
    this.ring = new Float64Array(capacity);
  }

  has(id: number): boolean {
    return this.set.has(id);
  }

  get size(): number {
    return this.set.size;
  }

  add(id: number): void {
    if (this.set.size === this.capacity) this.set.delete(this.ring[this.head]);
    this.ring[this.head] = id;
    this.head = (this.head + 1) % this.capacity;
    this.set.add(id);
  }

  /** The ids, oldest first. */
  ids(): number[] {
    const n = this.set.size;
    const out: number[] = new Array(n);
    const start = (this.head - n + this.capacity) % this.capacity;
    for (let i = 0; i < n; i++) out[i] = this.ring[(start + i) % this.capacity];
    return out;
  }

  static of(ids: readonly number[], capacity = RECENT_PLACEMENTS): RecentPlacements {
    const r = new RecentPlacements(capacity);
    for (const id of ids) r.add(id);
    return r;
  }
}

const PLACES = new Set<Command['kind']>(['limit', 'market', 'stop']);

/**
 * Apply one command message to a replica's book: what every matcher and read
 * replica does, so they all reach the same state and events. Each command's
 * events come back in order; bytes that do not decode give one `rejected`
 * event and change nothing.
 */
export function applyCommandMessage(
  book: Book,
  recent: RecentPlacements,
  data: Uint8Array,
): { commands: readonly Command[]; events: BookEvent[][] } {
  let commands: Command[];
  try {
    commands = decodeCommands(data);
  } catch (e) {
    const code = isTickbookError(e) ? e.code : 'CORRUPT_DATA';
    return { commands: [], events: [[{ type: 'rejected', id: 0, code } as BookEvent]] };
  }
  const events: BookEvent[][] = new Array(commands.length);
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    if (PLACES.has(c.kind)) {
      const id = (c as { id: number }).id;
      if (recent.has(id)) {
        events[i] = [{ type: 'rejected', id, code: 'DUPLICATE_ID' }];
        continue;
      }
      const e = book.submit(c);
      if (e[0]?.type === 'accepted') recent.add(id);
      events[i] = e;
    } else {
      events[i] = book.submit(c);
    }
  }
  return { commands, events };
}
