/**
 * Per-account request limits, checked before anything reaches a book: a
 * token bucket of requests per second (a burst of up to a second's worth),
 * and a ceiling on one account's open WebSocket connections.
 */

/** One account's request bucket: refills at `rate` tokens a second, holds at most `rate`. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = rate;
    this.at = now();
  }

  /**
   * Take one token. Returns 0 when there was one, else the seconds until
   * one is there (for `Retry-After`).
   */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.at) / 1000) * this.rate);
    this.at = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate;
  }
}

/** Request buckets per account (owner), made on first use. */
export class RequestLimits {
  private readonly buckets = new Map<number, TokenBucket>();

  constructor(
    /** Requests per second per account; 0: no limit. */
    private readonly perSecond: number,
    private readonly now?: () => number,
  ) {}

  /** 0 when `owner` may make a request now, else the seconds to wait. */
  take(owner: number): number {
    if (this.perSecond <= 0) return 0;
    let bucket = this.buckets.get(owner);
    if (!bucket) {
      bucket = new TokenBucket(this.perSecond, this.now);
      this.buckets.set(owner, bucket);
    }
    return bucket.take();
  }
}
