/**
 * Decimal price helpers for the edge of a system (UIs, gateways). Matching
 * never sees decimals: convert once on the way in and once on the way out.
 */
import { describeValue } from './describe';
import { TickbookError } from './errors';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * A decimal as {@link toTicks} and {@link toLots} take it: a string such as
 * `'101.25'` (exact), or a number, read as its shortest decimal form
 * (`101.25`, `0.1`; not `1e-7`).
 */
export type Decimal = string | number;

type Code = 'INVALID_PRICE' | 'INVALID_QTY';

/** Parse a non-negative decimal into an integer and its scale (digits after the point). */
function parseDecimal(value: Decimal, what: string, code: Code): { units: bigint; scale: number } {
  const text = typeof value === 'number' ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (!match) {
    throw new TickbookError(
      code,
      `${what} ${describeValue(value)} is not a plain non-negative decimal`,
    );
  }
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1] + fraction), scale: fraction.length };
}

/** `value` as a whole number of `step`s (ticks of a tick size, lots of a lot size). */
function toSteps(value: Decimal, step: Decimal, code: Code, names: [string, string]): number {
  const [what, unit] = names;
  const v = parseDecimal(value, what, code);
  const t = parseDecimal(step, `${unit} size`, code);
  if (t.units === 0n) throw new TickbookError(code, `${unit} size must be positive`);
  const scale = Math.max(v.scale, t.scale);
  const vu = v.units * 10n ** BigInt(scale - v.scale);
  const tu = t.units * 10n ** BigInt(scale - t.scale);
  if (vu % tu !== 0n) {
    throw new TickbookError(code, `${what} ${value} is not a multiple of ${unit} size ${step}`);
  }
  const steps = vu / tu;
  if (steps > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TickbookError(code, `${what} ${value} is too many ${unit}s`);
  }
  return Number(steps);
}

/** `steps` whole steps as a decimal string with the step size's precision. */
function fromSteps(steps: number, step: Decimal, code: Code, unit: string): string {
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new TickbookError(code, `${unit}s ${steps} must be a non-negative safe integer`);
  }
  const t = parseDecimal(step, `${unit} size`, code);
  const units = BigInt(steps) * t.units;
  if (t.scale === 0) return units.toString();
  const digits = units.toString().padStart(t.scale + 1, '0');
  return `${digits.slice(0, -t.scale)}.${digits.slice(-t.scale)}`;
}

/**
 * Convert a decimal price to integer ticks, exactly (no floating-point rounding).
 * @param price - e.g. `'101.25'` (or `101.25`).
 * @param tickSize - e.g. `'0.25'`.
 * @throws {@link TickbookError} `INVALID_PRICE` when the price is not a whole number of ticks.
 * @example `toTicks('101.25', '0.25') === 405`
 */
export function toTicks(price: Decimal, tickSize: Decimal): number {
  return toSteps(price, tickSize, 'INVALID_PRICE', ['price', 'tick']);
}

/**
 * Convert integer ticks to a decimal string with the tick size's precision.
 * @example `fromTicks(405, '0.25') === '101.25'`
 */
export function fromTicks(ticks: number, tickSize: Decimal): string {
  return fromSteps(ticks, tickSize, 'INVALID_PRICE', 'tick');
}

/**
 * Convert a decimal quantity to integer lots, exactly.
 * @param qty - e.g. `'0.015'` (or `0.015`).
 * @param lotSize - e.g. `'0.001'`.
 * @throws {@link TickbookError} `INVALID_QTY` when the quantity is not a whole number of lots.
 * @example `toLots('0.015', '0.001') === 15`
 */
export function toLots(qty: Decimal, lotSize: Decimal): number {
  return toSteps(qty, lotSize, 'INVALID_QTY', ['qty', 'lot']);
}

/**
 * Convert integer lots to a decimal string with the lot size's precision.
 * @example `fromLots(15, '0.001') === '0.015'`
 */
export function fromLots(lots: number, lotSize: Decimal): string {
  return fromSteps(lots, lotSize, 'INVALID_QTY', 'lot');
}
