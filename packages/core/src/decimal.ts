/**
 * Decimal price helpers for the edge of a system (UIs, gateways). Matching
 * never sees decimals: convert once on the way in and once on the way out.
 */
import { TickbookError } from './errors';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parse a non-negative decimal string into an integer and its scale (digits after the point). */
function parseDecimal(text: string, what: string): { units: bigint; scale: number } {
  const match = DECIMAL.exec(text);
  if (!match) throw new TickbookError('INVALID_PRICE', `${what} '${text}' is not a plain decimal`);
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1] + fraction), scale: fraction.length };
}

/**
 * Convert a decimal price to integer ticks.
 * @param price - e.g. `"101.25"`.
 * @param tickSize - e.g. `"0.25"`.
 * @throws {@link TickbookError} `INVALID_PRICE` when the price is not a whole number of ticks.
 * @example `toTicks('101.25', '0.25') === 405`
 */
export function toTicks(price: string, tickSize: string): number {
  const p = parseDecimal(price, 'price');
  const t = parseDecimal(tickSize, 'tick size');
  if (t.units === 0n) throw new TickbookError('INVALID_PRICE', 'tick size must be positive');
  const scale = Math.max(p.scale, t.scale);
  const pu = p.units * 10n ** BigInt(scale - p.scale);
  const tu = t.units * 10n ** BigInt(scale - t.scale);
  if (pu % tu !== 0n) {
    throw new TickbookError('INVALID_PRICE', `${price} is not a multiple of tick size ${tickSize}`);
  }
  const ticks = pu / tu;
  if (ticks > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TickbookError('INVALID_PRICE', `${price} is too many ticks`);
  }
  return Number(ticks);
}

/**
 * Convert integer ticks to a decimal string with the tick size's precision.
 * @example `fromTicks(405, '0.25') === '101.25'`
 */
export function fromTicks(ticks: number, tickSize: string): string {
  if (!Number.isSafeInteger(ticks) || ticks < 0) {
    throw new TickbookError('INVALID_PRICE', `ticks ${ticks} must be a non-negative safe integer`);
  }
  const t = parseDecimal(tickSize, 'tick size');
  const units = BigInt(ticks) * t.units;
  if (t.scale === 0) return units.toString();
  const digits = units.toString().padStart(t.scale + 1, '0');
  return `${digits.slice(0, -t.scale)}.${digits.slice(-t.scale)}`;
}
