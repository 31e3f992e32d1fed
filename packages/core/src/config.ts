import { TickbookError } from './errors';
import type { BookConfig, StpMode } from './types';

/** Widest price band a book accepts, in ticks (keeps ladders and bitsets bounded). */
export const MAX_BAND_TICKS = 16_777_216;
/** Largest capacity (resting orders) a book accepts. */
export const MAX_CAPACITY = 16_777_216;

/** Self-trade prevention modes, in the order of their numeric codes. */
export const STP_MODES: readonly StpMode[] = [
  'cancel-newest',
  'cancel-oldest',
  'cancel-both',
  'decrement-and-cancel',
];

/** A book configuration with every default filled in. */
export type ResolvedConfig = Readonly<Required<BookConfig>>;

/** Every key a {@link BookConfig} may have. */
const CONFIG_KEYS: readonly string[] = ['minPrice', 'maxPrice', 'capacity', 'engine', 'stpMode'];

function isSafePositive(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

/**
 * Check a book configuration and fill defaults.
 * @throws {@link TickbookError} `INVALID_CONFIG` naming the bad field, or a key a config does not have.
 */
export function resolveConfig(config: BookConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw new TickbookError('INVALID_CONFIG', 'config must be an object');
  }
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) {
      throw new TickbookError(
        'INVALID_CONFIG',
        `unknown key '${key}' (a book config has ${CONFIG_KEYS.join(', ')}; prices are in ticks: convert with toTicks)`,
      );
    }
  }
  const { minPrice, maxPrice, capacity } = config;
  if (!isSafePositive(minPrice)) {
    throw new TickbookError('INVALID_CONFIG', 'minPrice must be a positive safe integer');
  }
  if (!isSafePositive(maxPrice) || maxPrice < minPrice) {
    throw new TickbookError('INVALID_CONFIG', 'maxPrice must be a safe integer >= minPrice');
  }
  if (maxPrice - minPrice + 1 > MAX_BAND_TICKS) {
    throw new TickbookError('INVALID_CONFIG', `price band must be at most ${MAX_BAND_TICKS} ticks`);
  }
  if (!isSafePositive(capacity) || capacity > MAX_CAPACITY) {
    throw new TickbookError('INVALID_CONFIG', `capacity must be an integer in 1..${MAX_CAPACITY}`);
  }
  const engine = config.engine ?? 'wasm';
  if (engine !== 'js' && engine !== 'wasm') {
    throw new TickbookError('INVALID_CONFIG', "engine must be 'js' or 'wasm'");
  }
  const stpMode = config.stpMode ?? 'cancel-newest';
  if (!STP_MODES.includes(stpMode)) {
    throw new TickbookError('INVALID_CONFIG', `unknown stpMode '${String(stpMode)}'`);
  }
  return Object.freeze({ minPrice, maxPrice, capacity, engine, stpMode });
}
