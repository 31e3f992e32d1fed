/**
 * Where one command's events start, in a flat stream of many commands'
 * events. Every command opens with exactly one of these, and none of them
 * appears later in a command's events (docs/semantics.md, "Events"):
 * `accepted` (limit, market, stop), `rejected` (refused), `modified`
 * (modify), a `user` cancel (cancel, reduce) or `time-advanced`
 * (advance-time). The journal, the command ring and the gateway split
 * batches by it.
 */
import type { BookEvent } from './types';
import { EV_ACCEPTED, EV_CANCELLED, EV_MODIFIED, EV_REJECTED, EV_TIME, R_USER } from './wasm/abi';

/** True for the event that opens a command's events. */
export function opensCommand(e: BookEvent): boolean {
  switch (e.type) {
    case 'accepted':
    case 'rejected':
    case 'modified':
    case 'time-advanced':
      return true;
    case 'cancelled':
      return e.reason === 'user';
    default:
      return false;
  }
}

/** {@link opensCommand} for a binary event record: its type and `aux` byte (an `EventCursor`'s `type` and `aux`). */
export function opensCommandCode(type: number, aux: number): boolean {
  return (
    type === EV_ACCEPTED ||
    type === EV_MODIFIED ||
    type === EV_REJECTED ||
    type === EV_TIME ||
    (type === EV_CANCELLED && aux === R_USER)
  );
}
