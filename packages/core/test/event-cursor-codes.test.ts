/**
 * The binary event path's constants and accessors: an EV_* constant for every
 * event type, and a rejected event's code and a cancel's reason read straight
 * from the cursor.
 */
import { expect, it } from 'vitest';
import * as tickbook from '../src/index';
import {
  CommandBuffer,
  createWasmBook,
  EV_CANCELLED,
  EV_REJECTED,
  EVENT_TYPE_CODES,
} from '../src/index';

it('exports EV_<TYPE> for every event type, numbered as EVENT_TYPE_CODES', () => {
  const constants = tickbook as unknown as Record<string, unknown>;
  for (const [code, type] of EVENT_TYPE_CODES.entries()) {
    expect(constants[`EV_${type.toUpperCase().replace('-', '_')}`]).toBe(code);
  }
});

it("reads a rejected event's code and a cancel's reason from the cursor", () => {
  const book = createWasmBook({ minPrice: 1, maxPrice: 100, capacity: 4 });
  const commands = new CommandBuffer();
  commands.limit(1, 0, 10, 5);
  commands.cancel(99); // not resting: rejected
  commands.cancel(1);
  const seen: string[] = [];
  book.applyEncoded(commands, (events) => {
    while (events.next()) {
      if (events.type === EV_REJECTED) seen.push(`rejected ${events.id} ${events.errorCode}`);
      if (events.type === EV_CANCELLED) seen.push(`cancelled ${events.id} ${events.reason}`);
      if (events.type !== EV_REJECTED) expect(events.errorCode).toBeUndefined();
    }
  });
  expect(seen).toEqual(['rejected 99 UNKNOWN_ORDER', 'cancelled 1 user']);
});
