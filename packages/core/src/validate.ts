/**
 * Input rules every engine and the batch paths share: the domain of ids,
 * prices and quantities, the iceberg slice bound, the id a refused batch
 * command reports, and what `apply` / `applyEncoded` take. Each engine checks
 * commands itself (reference/validate.ts, the matcher's assembly/validate.ts),
 * in the order of the validation table (validation-order.ts).
 */
import { describeValue } from './describe';
import { TickbookError } from './errors';

/**
 * An iceberg's open quantity is at most this many times its display quantity,
 * so one sweep emits a bounded number of refreshes.
 */
export const MAX_ICEBERG_SLICES = 1000;

/** True for a positive safe integer: the domain of ids, prices, quantities and owners. */
export function isPositiveSafeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

/** The id a rejected batch command reports: its own when usable, else 0. */
export function commandIdOf(command: unknown): number {
  if (typeof command !== 'object' || command === null) return 0;
  const id = (command as { id?: unknown }).id;
  return isPositiveSafeInt(id) ? id : 0;
}

/**
 * `apply` takes an array: anything else (one command object, most often) is a
 * mistake that would otherwise apply nothing and return no events.
 */
export function checkBatch(commands: unknown): void {
  if (!Array.isArray(commands)) {
    throw new TickbookError(
      'INVALID_COMMAND',
      `apply takes an array of commands, got ${describeValue(commands)}; for one command use submit(command)`,
    );
  }
}

/** `applyEncoded` takes a {@link CommandBuffer} (checked by shape, so another copy's works too). */
export function checkCommandBuffer(commands: unknown): void {
  const buffer = commands as { bytes?: unknown; byteLength?: unknown } | null;
  if (
    typeof buffer !== 'object' ||
    buffer === null ||
    !(buffer.bytes instanceof Uint8Array) ||
    typeof buffer.byteLength !== 'number'
  ) {
    throw new TickbookError(
      'INVALID_COMMAND',
      `applyEncoded takes a CommandBuffer, got ${describeValue(commands)}; for command objects use apply(commands)`,
    );
  }
}
