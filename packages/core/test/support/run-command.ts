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

/** A command through the per-order API: its events, or the refusal it throws. */
export function perOrderCall(book: Book, c: Command): BookEvent[] {
  switch (c.kind) {
    case 'limit':
      return book.limit(c);
    case 'market':
      return book.market(c);
    case 'cancel':
      return book.cancel(c.id);
    case 'modify':
      return book.modify(c);
    case 'reduce':
      return book.reduce(c);
    case 'advance-time':
      return book.advanceTime(c.time);
    case 'stop':
      return book.stop(c);
  }
}

/** The TickbookError code `fn` throws, or undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isTickbookError(e)) return e.code;
    throw e;
  }
  return undefined;
}

export function runCommand(book: Book, command: Command): CommandOutcome {
  try {
    const c = command as Command;
    if (typeof c !== 'object' || c === null) return refusedByApply(book, c);
    const kinds = ['limit', 'market', 'cancel', 'modify', 'reduce', 'advance-time', 'stop'];
    if (!kinds.includes(c.kind)) return refusedByApply(book, c);
    return { ok: true, events: perOrderCall(book, c) };
  } catch (e) {
    if (isTickbookError(e)) return { ok: false, code: e.code };
    throw e;
  }
}
