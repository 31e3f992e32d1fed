import type { TickbookError } from '../../src/index';

/** The TickbookError `fn` throws; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): TickbookError {
  try {
    fn();
  } catch (e) {
    return e as TickbookError;
  }
  throw new Error('expected a TickbookError, nothing was thrown');
}
