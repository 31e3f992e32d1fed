/**
 * What an account sees of engine events: its own orders only, with client ids.
 * Public market data (trades, L2) goes out on the WebSocket streams.
 */
import type {
  BookEvent,
  CancelReason,
  Command,
  ErrorCode,
  LevelChangedEvent,
  TimeAdvancedEvent,
  TradeEvent,
} from 'tickbook';
import { clientIdOf, ownerOf } from './ids';

/**
 * One side of a trade, as the account that owns the order sees it: the
 * core `trade` event (maker and taker in one) told from that order's side.
 */
export interface OwnTrade {
  type: 'trade';
  id: number;
  role: 'maker' | 'taker';
  side: TradeEvent['takerSide'];
  price: number;
  qty: number;
  /**
   * The order's open quantity after the trade. For a taker sized by
   * `notional`, the notional it has left; for an iceberg maker, the part
   * still shown (its reserve is not counted: a `refreshed` event follows
   * when the shown part ran out).
   */
  remaining: number;
}

/**
 * An event about one of the caller's orders (`id` is the client order id):
 * the core events that name one order, as they are, and trades from the
 * order's side. Market data (`level-changed`) and the book's time are not
 * an account's own.
 */
export type OwnEvent =
  | Exclude<BookEvent, TradeEvent | LevelChangedEvent | TimeAdvancedEvent>
  | OwnTrade;

/** Where a command's events start in a batch's flat event list (tickbook's rule, see docs/semantics.md). */
export { opensCommand } from 'tickbook';

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
    // Public or owner-less: level changes go to the L2 stream; the book's time
    // is the gateway's clock. Neither names an order.
    case 'level-changed':
    case 'time-advanced':
      return;
    // About one order (`id`), seen by its owner only, under its client id. A
    // `rejected` id is the engine id of the caller's own command (or 0).
    case 'accepted':
    case 'rejected':
    case 'cancelled':
    case 'modified':
    case 'triggered':
    case 'refreshed':
      if (ownerOf(e.id) === owner) out.push({ ...e, id: clientIdOf(e.id) } as OwnEvent);
      return;
    default:
      // An event type this gateway does not know yet: show nothing rather than leak.
      return;
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
  // (pushOwnView decides what each owner sees of the event.)
}

/** Outcome of one command for the caller. */
export interface CommandResult {
  /** Client order id. */
  id: number;
  /**
   * `resting`: open quantity rests in the book; `untriggered`: a stop order
   * waiting for its trigger (off the book); `filled`: fully traded;
   * `cancelled`: nothing left open (see `reason`); `rejected`: refused (see
   * `code`), nothing changed.
   */
  status: 'resting' | 'untriggered' | 'filled' | 'cancelled' | 'rejected';
  /** Quantity traded by this command. */
  filled: number;
  /** Open quantity left resting. */
  remaining: number;
  reason?: CancelReason;
  code?: ErrorCode;
}

/**
 * Summarise a command's events (`events` is that command's slice). A stop
 * order is `untriggered` after its placement or a modify (its `accepted` or
 * `modified` event says so) unless a `triggered` event for it follows; a
 * reduce's events cannot tell a stop from a resting order, so the caller
 * passes `untriggered` for it (see server.ts).
 */
export function summarize(
  command: Command,
  events: readonly BookEvent[],
  untriggered = false,
): CommandResult {
  const id = command.kind === 'advance-time' ? 0 : command.id; // the gateway answers no advance-time
  const clientId = clientIdOf(id);
  let filled = 0;
  let remaining = 0;
  let cancelled = false;
  let reason: CancelReason | undefined;
  let waiting = untriggered;
  for (const e of events) {
    switch (e.type) {
      case 'rejected':
        return { id: clientId, status: 'rejected', filled: 0, remaining: 0, code: e.code };
      case 'accepted':
        if (e.id === id) {
          // `qty` is null for a market order sized by notional: it never rests.
          remaining = e.qty ?? 0;
          waiting = e.orderType === 'stop-market' || e.orderType === 'stop-limit';
        }
        break;
      case 'modified':
        if (e.id === id) {
          remaining = e.qty;
          waiting = e.trigger !== undefined; // only an untriggered stop's modify names a trigger
        }
        break;
      case 'triggered':
        if (e.id === id) waiting = false;
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
  const status =
    remaining > 0 ? (waiting ? 'untriggered' : 'resting') : cancelled ? 'cancelled' : 'filled';
  const result: CommandResult = { id: clientId, status, filled, remaining };
  if (reason !== undefined && status === 'cancelled') result.reason = reason;
  return result;
}
