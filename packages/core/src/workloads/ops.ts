/**
 * A generated operation stream stored as a struct of typed arrays: one entry
 * per operation, no object per operation, so generating a million operations
 * costs a few megabytes and applying them touches only flat memory.
 */

/** A GTC limit order priced away from the touch: it rests. */
export const OP_PASSIVE = 0;
/** A cancel of a previously placed id (it may already have filled). */
export const OP_CANCEL = 1;
/** A GTC limit order priced through the touch: it trades, any remainder rests. */
export const OP_MARKETABLE = 2;
/** A market order: it trades, any remainder is dropped. */
export const OP_MARKET = 3;

/** Operation kind code stored in {@link Ops.kind}. */
export type OpKind = typeof OP_PASSIVE | typeof OP_CANCEL | typeof OP_MARKETABLE | typeof OP_MARKET;

/** Names of the operation kinds, indexed by kind code. */
export const OP_KIND_NAMES = ['passive', 'cancel', 'marketable', 'market'] as const;

/** Side code stored in {@link Ops.side}: 0 buy, 1 sell. */
export const SIDE_BUY = 0;
/** Side code stored in {@link Ops.side}: 0 buy, 1 sell. */
export const SIDE_SELL = 1;

/** Side names indexed by side code. */
export const SIDE_NAMES = ['buy', 'sell'] as const;

/**
 * Operations as parallel typed arrays. Entry `i` is one operation:
 * - passive / marketable: GTC limit `{id, side, price, qty}`;
 * - cancel: `id` only (side, price, qty are 0);
 * - market: `{id, side, qty}` (price is 0).
 */
export interface Ops {
  /** Number of operations. */
  readonly length: number;
  /** Operation kind, one of the `OP_*` codes. */
  readonly kind: Uint8Array;
  /** Order id (the new order's id, or the id to cancel). */
  readonly id: Uint32Array;
  /** {@link SIDE_BUY} or {@link SIDE_SELL}. */
  readonly side: Uint8Array;
  /** Limit price in ticks (0 for cancel and market). */
  readonly price: Uint32Array;
  /** Quantity in lots (0 for cancel). */
  readonly qty: Uint32Array;
}

/** Allocates an {@link Ops} of `length` zeroed entries. */
export function allocOps(length: number): Ops {
  return {
    length,
    kind: new Uint8Array(length),
    id: new Uint32Array(length),
    side: new Uint8Array(length),
    price: new Uint32Array(length),
    qty: new Uint32Array(length),
  };
}

/** Counts the operations of each kind, indexed by kind code. */
export function countKinds(ops: Ops): number[] {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < ops.length; i++) counts[ops.kind[i]]++;
  return counts;
}
