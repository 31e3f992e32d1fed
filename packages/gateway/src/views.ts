/**
 * What an account sees of engine events: its own orders only, with client ids.
 * Public market data (trades, L2) goes out on the WebSocket streams.
 */
import type { BookEvent, CancelReason, Command, ErrorCode, OrderType, Side } from 'tickbook';
import { clientIdOf, ownerOf } from './ids';

/** An event about one of the caller's orders (`id` is the client order id). */
export type OwnEvent =
  | {
      type: 'accepted';
      id: number;
      side: Side;
      orderType: OrderType;
      price: number | null;
      qty: number;
    }
  | { type: 'rejected'; id: number; code: ErrorCode }
  | {
      type: 'trade';
      id: number;
      role: 'maker' | 'taker';
      side: Side;
      price: number;
      qty: number;
      /** The order's open quantity after the trade. */
      remaining: number;
    }
  | { type: 'cancelled'; id: number; reason: CancelReason; qty: number; remaining: number }
  | { type: 'modified'; id: number; side: Side; price: number; qty: number; priorityKept: boolean };

/**
 * True for the event that opens a command's events in a batch: `accepted`
 * (limit, market), `rejected`, `modified` (modify) or a `user` cancel (cancel).
 * Every command emits exactly one of these, first (see docs/semantics.md), so
 * a batch's flat event list can be split back into per-command slices.
 */
export function opensCommand(e: BookEvent): boolean {
  switch (e.type) {
    case 'accepted':
    case 'rejected':
    case 'modified':
      return true;
    case 'cancelled':
      return e.reason === 'user';
    default:
      return false;
  }
}

/** Append `owner`'s view of one engine event to `out`. */
export function pushOwnView(e: BookEvent, owner: number, out: OwnEvent[]): void {
  switch (e.type) {
    case 'trade':
      if (ownerOf(e.takerId) === owner) {
        out.push({
          type: 'trade',
          id: clientIdOf(e.takerId),
          role: 'taker',
          side: e.takerSide,
          price: e.price,
          qty: e.qty,
          remaining: e.takerRemaining,
        });
      }
      if (ownerOf(e.makerId) === owner) {
        out.push({
          type: 'trade',
          id: clientIdOf(e.makerId),
          role: 'maker',
          side: e.takerSide === 'buy' ? 'sell' : 'buy',
          price: e.price,
          qty: e.qty,
          remaining: e.makerRemaining,
        });
      }
      return;
    case 'level-changed':
    case 'time-advanced':
      return;
    default:
      if (ownerOf(e.id) === owner) out.push({ ...e, id: clientIdOf(e.id) } as OwnEvent);
  }
}

/** `owner`'s view of a command's events. */
export function ownEvents(events: readonly BookEvent[], owner: number): OwnEvent[] {
  const out: OwnEvent[] = [];
  for (const e of events) pushOwnView(e, owner, out);
  return out;
}

/** The owners an engine event concerns (one or two). */
export function ownersOf(e: BookEvent, out: number[]): void {
  if (e.type === 'trade') {
    out.push(ownerOf(e.takerId));
    const maker = ownerOf(e.makerId);
    if (maker !== out[out.length - 1]) out.push(maker);
  } else if (e.type !== 'level-changed' && e.type !== 'time-advanced') {
    out.push(ownerOf(e.id));
  }
}

/** Outcome of one command for the caller. */
export interface CommandResult {
  /** Client order id. */
  id: number;
  /**
   * `resting`: open quantity rests in the book; `filled`: fully traded;
   * `cancelled`: nothing left open (see `reason`); `rejected`: refused (see `code`), nothing changed.
   */
  status: 'resting' | 'filled' | 'cancelled' | 'rejected';
  /** Quantity traded by this command. */
  filled: number;
  /** Open quantity left resting. */
  remaining: number;
  reason?: CancelReason;
  code?: ErrorCode;
}

/** Summarise a command's events (`events` is that command's slice). */
export function summarize(command: Command, events: readonly BookEvent[]): CommandResult {
  const id = command.kind === 'advance-time' ? 0 : command.id; // the gateway sends no advance-time
  const clientId = clientIdOf(id);
  let filled = 0;
  let remaining = 0;
  let cancelled = false;
  let reason: CancelReason | undefined;
  for (const e of events) {
    switch (e.type) {
      case 'rejected':
        return { id: clientId, status: 'rejected', filled: 0, remaining: 0, code: e.code };
      case 'accepted':
      case 'modified':
        if (e.id === id) remaining = e.qty ?? 0; // null only for notional market orders, which the gateway does not send
        break;
      case 'trade':
        if (e.takerId === id) {
          filled += e.qty;
          remaining = e.takerRemaining;
          cancelled = false;
        }
        break;
      case 'cancelled':
        if (e.id === id) {
          remaining = e.remaining;
          reason = e.reason;
          cancelled = e.remaining === 0;
        }
        break;
    }
  }
  const status = remaining > 0 ? 'resting' : cancelled ? 'cancelled' : 'filled';
  const result: CommandResult = { id: clientId, status, filled, remaining };
  if (reason !== undefined && status === 'cancelled') result.reason = reason;
  return result;
}
