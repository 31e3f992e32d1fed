import type { KV } from '@nats-io/kv';

/**
 * Leadership of one shard: a KV entry that expires `ttl` after its last
 * write. The holder renews it by compare-and-set on its revision; anyone may
 * create it once it has expired. At most one holder at a time, as far as the
 * KV can tell; the event stream's expected-sequence check fences the rest.
 */
export class Lease {
  private revision = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Whether this node holds the lease (as of its last successful write). */
  held = false;

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly holder: string,
    private readonly ttlMs: number,
    private readonly onChange: (held: boolean) => void,
  ) {}

  /** Try at once, then renew or retry every third of the TTL. */
  start(): void {
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.held ? this.ttlMs / 3 : this.ttlMs / 5);
  }

  private async tick(): Promise<void> {
    try {
      if (this.held) {
        this.revision = await this.kv.update(this.key, this.holder, this.revision, this.ttlMs / 3);
      } else {
        this.revision = await this.kv.create(this.key, this.holder);
        this.set(true);
      }
    } catch {
      // Lost (someone else holds it, or NATS did not answer in time): a holder
      // that cannot renew within the TTL must assume another took over.
      if (this.held) this.set(false);
    }
    this.schedule();
  }

  private set(held: boolean): void {
    if (this.stopped || this.held === held) return;
    this.held = held;
    this.onChange(held);
  }

  /** Stop renewing; with `release`, delete the entry so a standby takes over at once. */
  async stop(release = false): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (release && this.held) {
      this.held = false;
      await this.kv.delete(this.key, { previousSeq: this.revision }).catch(() => undefined);
    }
  }
}
