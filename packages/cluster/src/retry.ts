/** Called for every failed attempt (a process logs it; the library prints nothing). */
export let onRetry: ((what: string, error: unknown) => void) | undefined;

/** Set where {@link retrying} reports failed attempts. */
export function setRetryListener(
  listener: ((what: string, error: unknown) => void) | undefined,
): void {
  onRetry = listener;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** How long {@link retrying} keeps at it, and whether it reports failed attempts. */
export interface RetryOptions {
  /** Give up after this long (ms). Default 120,000. */
  timeoutMs?: number;
  /** Most time one attempt may take (ms). Default 10,000. */
  attemptMs?: number;
  /** Do not report failed attempts (waiting for a server that is starting). */
  quiet?: boolean;
}

/**
 * Run `attempt` until it succeeds or `timeoutMs` passes, giving each attempt
 * at most `attemptMs`: JetStream answers API requests only once its streams
 * have leaders, which takes a moment after a node joins or leaves, and a read
 * started just then can hang. Also how tests wait for a server to start.
 */
export async function retrying<T>(
  what: string,
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { timeoutMs = 120_000, attemptMs = 10_000, quiet = false } = options;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await withTimeout(attempt(), attemptMs, what);
    } catch (e) {
      if (!quiet) onRetry?.(what, e);
      if (Date.now() + wait > deadline)
        throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
