import { describe, expect, it } from 'vitest';
import {
  ERROR_CODE_LIST,
  ERROR_CODES,
  fromTicks,
  isTickbookError,
  TickbookError,
  toTicks,
} from '../src/index';

describe('decimal price helpers', () => {
  it('converts decimal prices to ticks and back', () => {
    expect(toTicks('101.25', '0.25')).toBe(405);
    expect(toTicks('101.2500', '0.25')).toBe(405);
    expect(toTicks('7', '1')).toBe(7);
    expect(toTicks('0.00000003', '0.00000001')).toBe(3);
    expect(fromTicks(405, '0.25')).toBe('101.25');
    expect(fromTicks(3, '0.00000001')).toBe('0.00000003');
    expect(fromTicks(12, '5')).toBe('60');
  });

  it('refuses prices that are not whole ticks or not decimals', () => {
    for (const [price, tick] of [
      ['101.3', '0.25'],
      ['abc', '1'],
      ['-1', '1'],
      ['1e3', '1'],
      ['1', '0'],
    ]) {
      let code: string | undefined;
      try {
        toTicks(price, tick);
      } catch (e) {
        code = isTickbookError(e) ? e.code : undefined;
      }
      expect(code, `${price} / ${tick}`).toBe('INVALID_PRICE');
    }
  });
});

describe('TickbookError', () => {
  it('carries a stable code, a readable message and the order id', () => {
    const e = new TickbookError('UNKNOWN_ORDER', undefined, 42);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('UNKNOWN_ORDER');
    expect(e.orderId).toBe(42);
    expect(e.message).toBe(`UNKNOWN_ORDER: ${ERROR_CODES.UNKNOWN_ORDER}`);
    expect(isTickbookError(e)).toBe(true);
    expect(isTickbookError(new Error('x'))).toBe(false);
    expect(isTickbookError({ code: 'UNKNOWN_ORDER' })).toBe(false);
  });

  it('lists every code once, in a fixed order', () => {
    expect(new Set(ERROR_CODE_LIST).size).toBe(Object.keys(ERROR_CODES).length);
    expect(ERROR_CODE_LIST[0]).toBe('INVALID_ID');
  });
});
