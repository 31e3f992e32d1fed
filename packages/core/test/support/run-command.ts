/** Drive a book through its per-order API with a batch-style command. */
import { type Book, type BookEvent, type Command, isTickbookError } from '../../src/index';

export type CommandOutcome = { ok: true; events: BookEvent[] } | { ok: false; code: string };

/** Commands the per-order API has no method for (junk, unknown kinds) go through `apply`. */
function refusedByApply(book: Book, command: Command): CommandOutcome {
  const events = book.apply([command]);
  const only = events[0];
  if (events.length !== 1 || only.type !== 'rejected') {
    throw new Error(
      `apply() accepted a command with no per-order method: ${JSON.stringify(command)}`,
    );
  }
  return { ok: false, code: only.code };
}

export function runCommand(book: Book, command: Command): CommandOutcome {
  try {
    const c = command as Command;
    if (typeof c !== 'object' || c === null) return refusedByApply(book, c);
    switch (c.kind) {
      case 'limit':
        return { ok: true, events: book.limit(c) };
      case 'market':
        return { ok: true, events: book.market(c) };
      case 'cancel':
        return { ok: true, events: book.cancel(c.id) };
      case 'modify':
        return { ok: true, events: book.modify(c) };
      case 'reduce':
        return { ok: true, events: book.reduce(c) };
      case 'advance-time':
        return { ok: true, events: book.advanceTime(c.time) };
      case 'stop':
        return { ok: true, events: book.stop(c) };
      default:
        return refusedByApply(book, c);
    }
  } catch (e) {
    if (isTickbookError(e)) return { ok: false, code: e.code };
    throw e;
  }
}
