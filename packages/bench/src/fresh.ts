/**
 * A fresh copy of a self-contained function (no outer references), compiled
 * from its source. Each engine path gets its own copy of the timed loop, so
 * V8 keeps one engine's call sites monomorphic instead of sharing the type
 * feedback of one function between engines (hot code must stay monomorphic).
 */
// biome-ignore lint/complexity/noBannedTypes: any self-contained function can be copied.
export function freshCopy<T extends Function>(fn: T): T {
  return new Function(`return (${fn.toString()});`)() as T;
}
