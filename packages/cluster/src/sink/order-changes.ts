import type { EventMessage } from '../results';

/** One trade row. */
export interface TradeRow {
  symbol: string;
  cmdSeq: number;
  tradeNo: number;
  makerId: number;
  takerId: number;
  takerSide: string;
  price: number;
  qty: number;
}

/** An order's state after a batch: a new row, or changes to an existing one. */
export interface OrderRow {
  symbol: string;
  orderId: number;
  /** True when the order was placed in this batch (all fields known). */
  placed: boolean;
  owner: number | null;
  side: string;
  orderType: string;
  /** An order placed earlier whose type changed in this batch (a stop that triggered). */
  orderTypeChanged: boolean;
  price: number | null;
  qty: number;
  remaining: number;
  /** Lots filled in this batch. */
  filled: number;
  status: 'open' | 'filled' | 'cancelled';
  cancelReason: string | null;
  updatedSeq: number;
  placedSeq: number;
}

/** What one batch of event messages changes in the tables. */
export interface BatchChanges {
  trades: TradeRow[];
  orders: OrderRow[];
  /** Per symbol, the last command message covered. */
  progress: Map<string, number>;
}

/**
 * Turn event messages into rows, skipping every command message at or below
 * `applied` for its symbol (already in the database). Orders changed several
 * times in the batch come out once, in their final state.
 */
export function collectChanges(
  messages: readonly EventMessage[],
  applied: ReadonlyMap<string, number>,
): BatchChanges {
  const trades: TradeRow[] = [];
  const orders = new Map<string, OrderRow>();
  const progress = new Map<string, number>();
  for (const message of messages) {
    const symbol = message.symbol;
    const floor = Math.max(applied.get(symbol) ?? 0, progress.get(symbol) ?? 0);
    const row = (id: number, seq: number): OrderRow => {
      const key = `${symbol}\u0000${id}`;
      let r = orders.get(key);
      if (!r) {
        r = {
          symbol,
          orderId: id,
          placed: false,
          owner: null,
          side: 'buy',
          orderType: 'limit',
          orderTypeChanged: false,
          price: null,
          qty: 0,
          remaining: 0,
          filled: 0,
          status: 'open',
          cancelReason: null,
          updatedSeq: seq,
          placedSeq: seq,
        };
        orders.set(key, r);
      }
      r.updatedSeq = seq;
      return r;
    };
    for (const result of message.results) {
      if (result.seq <= floor) continue;
      let tradeNo = 0;
      for (const command of result.commands) {
        for (const e of command.events) {
          switch (e.type) {
            case 'accepted': {
              const r = row(e.id, result.seq);
              const size = e.qty ?? e.notional ?? 0;
              Object.assign(r, {
                placed: true,
                owner: command.owner ?? null,
                side: e.side,
                orderType: e.orderType,
                price: e.price,
                qty: size,
                remaining: size,
                filled: 0,
                status: 'open',
                cancelReason: null,
                placedSeq: result.seq,
              });
              break;
            }
            case 'trade': {
              trades.push({
                symbol,
                cmdSeq: result.seq,
                tradeNo: tradeNo++,
                makerId: e.makerId,
                takerId: e.takerId,
                takerSide: e.takerSide,
                price: e.price,
                qty: e.qty,
              });
              const maker = row(e.makerId, result.seq);
              maker.remaining = e.makerRemaining;
              maker.filled += e.qty;
              if (e.makerRemaining === 0) maker.status = 'filled';
              const taker = row(e.takerId, result.seq);
              taker.remaining = e.takerRemaining;
              taker.filled += e.qty;
              if (e.takerRemaining === 0) taker.status = 'filled';
              break;
            }
            case 'cancelled': {
              const r = row(e.id, result.seq);
              r.remaining = e.remaining;
              if (e.remaining === 0) {
                r.status = 'cancelled';
                r.cancelReason = e.reason;
              }
              break;
            }
            case 'modified': {
              const r = row(e.id, result.seq);
              r.remaining = e.qty;
              if (e.price !== null) r.price = e.price;
              break;
            }
            case 'triggered': {
              const r = row(e.id, result.seq);
              r.orderType = e.orderType;
              r.orderTypeChanged = true;
              if (e.price !== null) r.price = e.price;
              break;
            }
            default:
              break;
          }
        }
      }
      progress.set(symbol, result.seq);
    }
  }
  return { trades, orders: [...orders.values()], progress };
}
