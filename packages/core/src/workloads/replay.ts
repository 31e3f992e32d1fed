/**
 * Applying an {@link Ops} stream to a tickbook {@link Book}, through the
 * per-order API or the batch API, with checksum accounting. Tests and the
 * benchmark's verification runs use these; timed loops use their own copies
 * without accounting.
 */
import type { Book } from '../book';
import { isTickbookError } from '../errors';
import type { Command } from '../types';
import { CommandBuffer } from '../wasm/command-buffer';
import type { ChecksumAccumulator } from './checksum';
import { OP_CANCEL, OP_MARKET, type Ops, SIDE_NAMES } from './ops';

/** The tickbook command for operation `i` of `ops`. */
export function toCommand(ops: Ops, i: number): Command {
  const kind = ops.kind[i];
  if (kind === OP_CANCEL) return { kind: 'cancel', id: ops.id[i] };
  if (kind === OP_MARKET) {
    return { kind: 'market', id: ops.id[i], side: SIDE_NAMES[ops.side[i]], qty: ops.qty[i] };
  }
  return {
    kind: 'limit',
    id: ops.id[i],
    side: SIDE_NAMES[ops.side[i]],
    price: ops.price[i],
    qty: ops.qty[i],
  };
}

/** Commands for operations `start` (inclusive) to `end` (exclusive). */
export function toCommands(ops: Ops, start = 0, end = ops.length): Command[] {
  const out = new Array<Command>(end - start);
  for (let i = start; i < end; i++) out[i - start] = toCommand(ops, i);
  return out;
}

/** Operations `start` to `end` as binary command records, for `applyEncoded`. */
export function toCommandBuffer(ops: Ops, start = 0, end = ops.length): CommandBuffer {
  const buffer = new CommandBuffer(end - start);
  for (let i = start; i < end; i++) {
    const kind = ops.kind[i];
    const side = ops.side[i] as 0 | 1;
    if (kind === OP_CANCEL) buffer.cancel(ops.id[i]);
    else if (kind === OP_MARKET) buffer.market(ops.id[i], side, ops.qty[i]);
    else buffer.limit(ops.id[i], side, ops.price[i], ops.qty[i]);
  }
  return buffer;
}

/**
 * Applies `ops` one call per operation (`limit` / `market` / `cancel`). A cancel
 * refused with `UNKNOWN_ORDER` is counted; any other error is rethrown.
 */
export function replayPerOrder(book: Book, ops: Ops, acc?: ChecksumAccumulator): void {
  for (let i = 0; i < ops.length; i++) {
    const kind = ops.kind[i];
    if (kind === OP_CANCEL) {
      try {
        const events = book.cancel(ops.id[i]);
        acc?.add(events);
      } catch (e) {
        if (!isTickbookError(e) || e.code !== 'UNKNOWN_ORDER') throw e;
        acc?.refusedCancel();
      }
    } else if (kind === OP_MARKET) {
      const events = book.market({ id: ops.id[i], side: SIDE_NAMES[ops.side[i]], qty: ops.qty[i] });
      acc?.add(events);
    } else {
      const events = book.limit({
        id: ops.id[i],
        side: SIDE_NAMES[ops.side[i]],
        price: ops.price[i],
        qty: ops.qty[i],
      });
      acc?.add(events);
    }
  }
}

/**
 * Applies `ops` through {@link Book.apply} in batches of `batchSize` commands.
 * Any `rejected` event other than a cancel's `UNKNOWN_ORDER` throws.
 */
export function replayBatch(
  book: Book,
  ops: Ops,
  batchSize = 4096,
  acc?: ChecksumAccumulator,
): void {
  for (let start = 0; start < ops.length; start += batchSize) {
    const end = Math.min(ops.length, start + batchSize);
    const events = book.apply(toCommands(ops, start, end));
    for (const e of events) {
      if (e.type === 'rejected' && e.code !== 'UNKNOWN_ORDER') {
        throw new Error(`batch command for id ${e.id} was rejected with ${e.code}`);
      }
    }
    acc?.add(events);
  }
}
