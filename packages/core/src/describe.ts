/**
 * A short, readable rendering of a value a caller passed, for error messages:
 * `101.25`, `'abc'`, `{ kind: 'cancel', id: 1 }`, `an array of 3`. Only called
 * on the way to throwing, never on a hot path.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = value.constructor?.name;
  if (name && name !== 'Object') return `a ${name}`;
  const fields = Object.entries(value)
    .slice(0, 6)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? '…' : describeValue(v)}`);
  const more = Object.keys(value).length > 6 ? ', …' : '';
  return `{ ${fields.join(', ')}${more} }`;
}
