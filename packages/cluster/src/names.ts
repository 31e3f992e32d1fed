/**
 * Stream, subject and bucket names: one place, so every process of a cluster
 * agrees on them.
 */

/** Commands, one subject per symbol: the stream's order is the book's order. */
export const COMMAND_STREAM = 'TB_CMD';
/** Results and events, one subject per symbol, published by each shard's leader. */
export const EVENT_STREAM = 'TB_EVT';
/** Shard leadership leases (a KV bucket whose entries expire). */
export const LEASE_BUCKET = 'tb_leases';
/** Book snapshots with the command sequence they cover (an object store). */
export const SNAPSHOT_BUCKET = 'tb_snapshots';

/** Header on an event message: the last command sequence it covers. */
export const LAST_SEQUENCE_HEADER = 'Tb-Last-Seq';
/**
 * Header on each part of an event message too large for one NATS message:
 * `<command sequence>:<part>/<parts>`, parts counted from 1. The parts of
 * one message follow each other on the symbol's subject; joined, their bytes
 * are the whole message.
 */
export const PART_HEADER = 'Tb-Part';

const SYMBOL = /^[A-Za-z0-9_-]{1,64}$/;

/** A symbol is one subject token: letters, digits, `_` and `-`, at most 64. */
export function checkSymbol(symbol: string): string {
  if (!SYMBOL.test(symbol)) {
    throw new Error(
      `bad symbol ${JSON.stringify(symbol)}: letters, digits, _ and - only (1 to 64)`,
    );
  }
  return symbol;
}

export const commandSubject = (symbol: string) => `tb.cmd.${symbol}`;
export const eventSubject = (symbol: string) => `tb.evt.${symbol}`;
/** The symbol of a `tb.cmd.<symbol>` or `tb.evt.<symbol>` subject. */
export const symbolOf = (subject: string) => subject.slice(subject.lastIndexOf('.') + 1);
/** Request subject a matcher node answers with its status (JSON). */
export const statusSubject = (shard: string, nodeId: string) => `tb.status.${shard}.${nodeId}`;
