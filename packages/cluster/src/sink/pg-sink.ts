import { type ConsumerMessages, DeliverPolicy, type JsMsg, jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { type ClusterConfig, resolveClusterConfig } from '../config';
import { EVENT_STREAM, PART_HEADER, symbolOf } from '../names';
import { type EventMessage, EventMessageAssembler, joinBatch } from '../results';
import { retrying } from '../retry';
import { openStores } from '../setup';
import { migrate } from './migrate';
import { type BatchChanges, collectChanges } from './order-changes';

/** Options of {@link PgSink.start}. */
export interface PgSinkOptions {
  config: ClusterConfig;
  /** PostgreSQL connection string. */
  database: string;
  /** Most event messages per transaction. Default 512. */
  batchMessages?: number;
  /**
   * Least time between the starts of two transactions (ms): under load each
   * transaction takes what arrived meanwhile, so the database does fewer,
   * larger commits. Default 50.
   */
  minCommitIntervalMs?: number;
  /**
   * Wait for each commit to reach PostgreSQL's disk. Default false: the
   * stream position is written in the same transaction as the rows, so a
   * commit lost in a database crash is rolled back with its position and
   * written again from the event stream; nothing is lost or doubled.
   */
  synchronousCommit?: boolean;
  /** Called after each committed transaction (tests, metrics). */
  onCommit?: (info: {
    /** Event stream messages read since the previous commit (parts of a split message each count). */
    messages: number;
    trades: number;
    orders: number;
    progress: Map<string, number>;
  }) => void;
}

/**
 * Writes the event stream into PostgreSQL: trades and order states, in
 * batches, each batch in one transaction together with where it ends, both as
 * the event stream's sequence (where to resume) and, per symbol, as the last
 * command message covered. The position lives in the database, not in a
 * JetStream consumer's acknowledgements: a crash anywhere resumes exactly
 * after the last commit, so every row is written once. (Acknowledgement-based
 * redelivery may come out of order, which could leave a gap behind a later
 * commit.)
 */
export class PgSink {
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  private current: ConsumerMessages | undefined;
  /** Set while the last batch failed (it is retried from the stored position). */
  lastError: string | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly db: pg.Client,
    private readonly options: PgSinkOptions,
  ) {}

  /** Run the migrations and start writing from the stored position. */
  static async start(options: PgSinkOptions): Promise<PgSink> {
    const config = resolveClusterConfig(options.config);
    const db = new pg.Client({ connectionString: options.database });
    await db.connect();
    await migrate(db);
    if (!options.synchronousCommit) await db.query('SET synchronous_commit = off');
    const nc = await connect({
      servers: config.servers,
      name: 'tickbook-pg-sink',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    await retrying('open the streams', () => openStores(nc, config));
    const sink = new PgSink(nc, db, options);
    sink.loop = sink.run();
    return sink;
  }

  private async position(): Promise<number> {
    const { rows } = await this.db.query<{ stream_seq: string }>(
      'SELECT stream_seq FROM tb_sink_position WHERE stream = $1',
      [EVENT_STREAM],
    );
    return Number(rows[0]?.stream_seq ?? 0);
  }

  private async run(): Promise<void> {
    const max = this.options.batchMessages ?? 512;
    const js = jetstream(this.nc);
    while (this.running) {
      let messages: ConsumerMessages | undefined;
      try {
        let position = await this.position();
        // An ordered consumer delivers in stream order with no gaps (it
        // recreates itself when it sees one).
        const consumer = await js.consumers.get(EVENT_STREAM, {
          ...(position > 0
            ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: position + 1 }
            : { deliver_policy: DeliverPolicy.All }),
        });
        messages = await consumer.consume({ max_messages: 2 * max });
        this.current = messages;
        // Group commit: what arrived while the last transaction ran is the
        // next batch; an idle sink writes each message as it comes.
        const buffer: JsMsg[] = [];
        // results too large for one NATS message come in parts: joined here
        const parts = new EventMessageAssembler();
        let unwritten = 0; // stream messages read since the last commit
        let wake: (() => void) | undefined;
        let ended = false;
        const reading = (async () => {
          try {
            for await (const m of messages) {
              buffer.push(m);
              wake?.();
            }
          } finally {
            ended = true;
            wake?.();
          }
        })();
        const minInterval = this.options.minCommitIntervalMs ?? 50;
        let lastCommitAt = 0;
        while (this.running && !ended) {
          const since = performance.now() - lastCommitAt;
          if (buffer.length > 0 && buffer.length < max && since < minInterval) {
            await new Promise((r) => setTimeout(r, minInterval - since));
            continue;
          }
          if (buffer.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
            continue;
          }
          const batch = buffer.splice(0, max).filter((m) => m.seq > position);
          if (batch.length === 0) continue;
          lastCommitAt = performance.now();
          const end = batch[batch.length - 1].seq;
          // A message still missing parts is written once whole; the stored
          // position stays before its first part, so a restart reads it all
          // again (messages of other symbols read meanwhile are then skipped
          // by their symbols' progress).
          const { whole, resumeAfter } = joinBatch(
            parts,
            batch.map((m) => ({
              symbol: symbolOf(m.subject),
              data: m.data,
              part: m.headers?.get(PART_HEADER) || undefined,
              seq: m.seq,
            })),
          );
          position = end;
          unwritten += batch.length;
          if (whole.length > 0) {
            await this.write(whole, resumeAfter, unwritten);
            unwritten = 0;
          }
          this.lastError = undefined;
        }
        await messages.stop();
        await reading.catch(() => undefined);
      } catch (e) {
        // Nothing after the last commit counts: start again from the stored position.
        this.lastError = String(e);
        await messages?.stop();
        if (this.running) await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Write `messages` (read as `read` stream messages) and the position `streamSeq` in one transaction. */
  private async write(messages: EventMessage[], streamSeq: number, read: number): Promise<void> {
    const db = this.db;
    const symbols = [...new Set(messages.map((m) => m.symbol))];
    await db.query('BEGIN');
    try {
      const { rows } = await db.query<{ symbol: string; last_seq: string }>(
        'SELECT symbol, last_seq FROM tb_sink_progress WHERE symbol = ANY($1) FOR UPDATE',
        [symbols],
      );
      const applied = new Map(rows.map((r) => [r.symbol, Number(r.last_seq)]));
      const changes = collectChanges(messages, applied);
      await writeChanges(db, changes);
      await db.query(
        `INSERT INTO tb_sink_position (stream, stream_seq) VALUES ($1, $2)
         ON CONFLICT (stream) DO UPDATE SET stream_seq = EXCLUDED.stream_seq`,
        [EVENT_STREAM, streamSeq],
      );
      await db.query('COMMIT');
      this.options.onCommit?.({
        messages: read,
        trades: changes.trades.length,
        orders: changes.orders.length,
        progress: changes.progress,
      });
    } catch (e) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.current?.stop();
    await this.loop;
    await this.nc.close();
    await this.db.end();
  }
}

/**
 * A PostgreSQL array literal, built here rather than by pg (which escapes
 * element by element): numbers as they are, strings quoted.
 */
function pgArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/** One array literal per column of `rows`. */
function arrays<R>(rows: readonly R[], columns: ((r: R) => string | number | null)[]): string[] {
  return columns.map((get) => pgArray(rows.map(get)));
}

/** Multi-row statements (one array parameter per column): a batch costs four round trips. */
async function writeChanges(db: pg.ClientBase, changes: BatchChanges): Promise<void> {
  const t = changes.trades;
  if (t.length > 0) {
    await db.query(
      `INSERT INTO tb_trades (symbol, cmd_seq, trade_no, maker_id, taker_id, taker_side, price, qty)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[])`,
      arrays(t, [
        (r) => r.symbol,
        (r) => r.cmdSeq,
        (r) => r.tradeNo,
        (r) => r.makerId,
        (r) => r.takerId,
        (r) => r.takerSide,
        (r) => r.price,
        (r) => r.qty,
      ]),
    );
  }
  const placed = changes.orders.filter((o) => o.placed);
  if (placed.length > 0) {
    // An id used again after its order left the book starts a new row.
    await db.query(
      `INSERT INTO tb_orders (symbol, order_id, owner, side, order_type, price, qty, remaining, filled, status, cancel_reason, updated_seq, placed_seq)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::bigint[], $13::bigint[])
       ON CONFLICT (symbol, order_id) DO UPDATE SET owner = EXCLUDED.owner, side = EXCLUDED.side,
         order_type = EXCLUDED.order_type, price = EXCLUDED.price, qty = EXCLUDED.qty, remaining = EXCLUDED.remaining,
         filled = EXCLUDED.filled, status = EXCLUDED.status, cancel_reason = EXCLUDED.cancel_reason,
         updated_seq = EXCLUDED.updated_seq, placed_seq = EXCLUDED.placed_seq`,
      columns(placed),
    );
  }
  const changed = changes.orders.filter((o) => !o.placed);
  if (changed.length > 0) {
    await db.query(
      `UPDATE tb_orders o SET remaining = u.remaining, filled = o.filled + u.filled, status = u.status,
         cancel_reason = COALESCE(u.cancel_reason, o.cancel_reason), price = COALESCE(u.price, o.price),
         order_type = CASE WHEN u.order_type = 'keep' THEN o.order_type ELSE u.order_type END,
         updated_seq = u.updated_seq
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::bigint[], $13::bigint[])
         AS u(symbol, order_id, owner, side, order_type, price, qty, remaining, filled, status, cancel_reason, updated_seq, placed_seq)
       WHERE o.symbol = u.symbol AND o.order_id = u.order_id`,
      columns(changed),
    );
  }
  const symbols = [...changes.progress.keys()];
  if (symbols.length > 0) {
    await db.query(
      `INSERT INTO tb_sink_progress (symbol, last_seq) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (symbol) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
      [pgArray(symbols), pgArray(symbols.map((s) => changes.progress.get(s) as number))],
    );
  }
}

function columns(rows: BatchChanges['orders']): string[] {
  return arrays(rows, [
    (r) => r.symbol,
    (r) => r.orderId,
    (r) => r.owner,
    (r) => r.side,
    (r) => (r.placed ? r.orderType : r.orderTypeChanged ? r.orderType : 'keep'),
    (r) => r.price,
    (r) => r.qty,
    (r) => r.remaining,
    (r) => r.filled,
    (r) => r.status,
    (r) => r.cancelReason,
    (r) => r.updatedSeq,
    (r) => r.placedSeq,
  ]);
}
