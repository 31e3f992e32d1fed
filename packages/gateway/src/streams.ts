/**
 * WebSocket streams. A client subscribes per symbol to any of:
 * - `trades`: every trade (price, qty, taker side) with a per-symbol sequence number;
 * - `l2`: a depth snapshot on subscribe, then every level change, each with the
 *   per-symbol L2 sequence number (`snapshot.seq` is the last change it includes);
 * - `orders`: the subscriber's own order events (client ids, as in HTTP answers).
 * Messages produced by one engine call go out together, one message per channel.
 */
import { Ajv } from 'ajv';
import type { BookEvent } from 'tickbook';
import type { WebSocket } from 'ws';
import type { OrderMarket } from './market';
import type { GatewayMetrics } from './metrics';
import { type OwnEvent, ownersOf, pushOwnView } from './views';

/** Most levels per side an L2 snapshot sends, whatever `depth` asks for. */
export const MAX_DEPTH_LEVELS = 1000;

export type Channel = 'trades' | 'l2' | 'orders';

const clientMessageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['op', 'symbol'],
  properties: {
    op: { enum: ['subscribe', 'unsubscribe'] },
    symbol: { type: 'string', minLength: 1, maxLength: 32 },
    channels: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['trades', 'l2', 'orders'] },
    },
    /** L2 snapshot depth (levels per side); default: all levels. */
    depth: { type: 'integer', minimum: 1, maximum: MAX_DEPTH_LEVELS },
  },
} as const;

interface ClientMessage {
  op: 'subscribe' | 'unsubscribe';
  symbol: string;
  channels?: Channel[];
  depth?: number;
}

const validateMessage = new Ajv({ allErrors: false }).compile<ClientMessage>(clientMessageSchema);

interface Subscriber {
  socket: WebSocket;
  owner: number;
}

interface SymbolSubs {
  trades: Set<Subscriber>;
  l2: Set<Subscriber>;
  orders: Map<number, Set<Subscriber>>;
}

export class StreamHub {
  private readonly subs = new Map<string, SymbolSubs>();
  private clients = 0;
  /** Every open connection. */
  private readonly sockets = new Set<WebSocket>();
  /** Open connections per account. */
  private readonly perOwner = new Map<number, number>();
  /**
   * This gateway run: its start time in epoch milliseconds, in every stream
   * message. Sequence numbers restart at 0 with each run, so a client that
   * sees another epoch knows to take a fresh snapshot.
   */
  readonly epoch = Date.now();
  private readonly slow;

  constructor(
    private readonly markets: ReadonlyMap<string, OrderMarket>,
    private readonly maxBuffered: number,
    metrics: GatewayMetrics,
    /** Most levels per side in an L2 snapshot. */
    private readonly maxDepthLevels = MAX_DEPTH_LEVELS,
  ) {
    this.slow = metrics.slowClients.labels();
    for (const [symbol, market] of markets) {
      this.subs.set(symbol, { trades: new Set(), l2: new Set(), orders: new Map() });
      market.onFlush((m, events, l2Before, tradeBefore) =>
        this.publish(m, events, l2Before, tradeBefore),
      );
    }
    metrics.wsClients.labels().read = () => this.clients;
  }

  /**
   * Close every stream connection with `code` (1001 when the gateway stops);
   * resolves once they have closed, or after `waitMs` for clients that do not
   * answer the closing handshake (those are terminated).
   */
  closeAll(code: number, reason: string, waitMs = 1000): Promise<void> {
    const open = [...this.sockets];
    if (open.length === 0) return Promise.resolve();
    return new Promise((done) => {
      let left = open.length;
      const timer = setTimeout(() => {
        for (const socket of open) socket.terminate();
        done();
      }, waitMs);
      for (const socket of open) {
        socket.once('close', () => {
          if (--left === 0) {
            clearTimeout(timer);
            done();
          }
        });
        socket.close(code, reason);
      }
    });
  }

  /** Open WebSocket connections of account `owner`. */
  connectionsOf(owner: number): number {
    return this.perOwner.get(owner) ?? 0;
  }

  /** Serve one connection of account `owner`. */
  attach(socket: WebSocket, owner: number): void {
    const sub: Subscriber = { socket, owner };
    this.clients++;
    this.perOwner.set(owner, this.connectionsOf(owner) + 1);
    this.sockets.add(socket);
    socket.on('message', (data, isBinary) => {
      let msg: unknown;
      try {
        msg = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        this.send(sub, {
          epoch: this.epoch,
          type: 'error',
          code: 'INVALID_JSON',
          message: 'message is not JSON',
        });
        return;
      }
      if (!validateMessage(msg)) {
        const e = validateMessage.errors?.[0];
        const message = `message${e?.instancePath ?? ''} ${e?.message ?? 'is invalid'}`;
        this.send(sub, { epoch: this.epoch, type: 'error', code: 'VALIDATION_ERROR', message });
        return;
      }
      this.handle(sub, msg);
    });
    socket.on('close', () => {
      this.clients--;
      this.perOwner.set(owner, this.connectionsOf(owner) - 1);
      this.sockets.delete(socket);
      for (const s of this.subs.values()) this.drop(s, sub, ['trades', 'l2', 'orders']);
    });
  }

  private handle(sub: Subscriber, msg: ClientMessage): void {
    const s = this.subs.get(msg.symbol);
    const market = this.markets.get(msg.symbol);
    if (!s || !market) {
      this.send(sub, {
        epoch: this.epoch,
        type: 'error',
        code: 'UNKNOWN_SYMBOL',
        message: `unknown symbol ${msg.symbol}`,
        symbol: msg.symbol,
      });
      return;
    }
    const channels = msg.channels ?? ['trades', 'l2', 'orders'];
    if (msg.op === 'unsubscribe') {
      this.drop(s, sub, channels);
      this.send(sub, { epoch: this.epoch, type: 'unsubscribed', symbol: msg.symbol, channels });
      return;
    }
    this.send(sub, { type: 'subscribed', symbol: msg.symbol, channels, epoch: this.epoch });
    for (const c of channels) {
      if (c === 'trades') s.trades.add(sub);
      else if (c === 'orders') {
        let set = s.orders.get(sub.owner);
        if (!set) {
          set = new Set();
          s.orders.set(sub.owner, set);
        }
        set.add(sub);
      } else {
        s.l2.add(sub);
        // Taken between two engine calls, so it is exactly the state after change `seq`.
        const depth = market.book.depth(
          Math.min(msg.depth ?? this.maxDepthLevels, this.maxDepthLevels),
        );
        this.send(sub, {
          epoch: this.epoch,
          channel: 'l2',
          type: 'snapshot',
          symbol: msg.symbol,
          seq: market.l2Seq,
          bids: depth.bids,
          asks: depth.asks,
        });
      }
    }
  }

  private drop(s: SymbolSubs, sub: Subscriber, channels: readonly Channel[]): void {
    for (const c of channels) {
      if (c === 'trades') s.trades.delete(sub);
      else if (c === 'l2') s.l2.delete(sub);
      else {
        const set = s.orders.get(sub.owner);
        set?.delete(sub);
        if (set?.size === 0) s.orders.delete(sub.owner);
      }
    }
  }

  private send(sub: Subscriber, message: unknown, text = JSON.stringify(message)): void {
    const socket = sub.socket;
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount + text.length > this.maxBuffered) {
      // A consumer that cannot keep up is cut off at once: no closing
      // handshake it would not read either, and its backlog is freed now.
      this.slow.inc();
      for (const s of this.subs.values()) this.drop(s, sub, ['trades', 'l2', 'orders']);
      socket.terminate();
      return;
    }
    socket.send(text);
  }

  private publish(
    market: OrderMarket,
    events: readonly BookEvent[],
    l2Before: number,
    tradeBefore: number,
  ): void {
    const s = this.subs.get(market.symbol);
    if (!s || (s.trades.size === 0 && s.l2.size === 0 && s.orders.size === 0)) return;
    const symbol = market.symbol;
    const ts = Date.now();
    const trades: unknown[] = [];
    const changes: unknown[] = [];
    const own = new Map<number, OwnEvent[]>();
    const owners: number[] = [];
    let l2Seq = l2Before;
    let tradeSeq = tradeBefore;
    for (const e of events) {
      if (e.type === 'level-changed') {
        l2Seq++;
        if (s.l2.size > 0) {
          changes.push({ seq: l2Seq, side: e.side, price: e.price, qty: e.qty, count: e.count });
        }
        continue;
      }
      if (e.type === 'trade') {
        tradeSeq++;
        if (s.trades.size > 0) {
          trades.push({ seq: tradeSeq, price: e.price, qty: e.qty, takerSide: e.takerSide, ts });
        }
      }
      if (s.orders.size > 0) {
        owners.length = 0;
        ownersOf(e, owners);
        for (const owner of owners) {
          if (!s.orders.has(owner)) continue;
          let list = own.get(owner);
          if (!list) {
            list = [];
            own.set(owner, list);
          }
          pushOwnView(e, owner, list);
        }
      }
    }
    if (trades.length > 0) {
      const text = JSON.stringify({ epoch: this.epoch, channel: 'trades', symbol, trades });
      for (const sub of s.trades) this.send(sub, undefined, text);
    }
    if (changes.length > 0) {
      const text = JSON.stringify({
        epoch: this.epoch,
        channel: 'l2',
        type: 'update',
        symbol,
        changes,
      });
      for (const sub of s.l2) this.send(sub, undefined, text);
    }
    for (const [owner, list] of own) {
      if (list.length === 0) continue;
      const text = JSON.stringify({ epoch: this.epoch, channel: 'orders', symbol, events: list });
      for (const sub of s.orders.get(owner) ?? []) this.send(sub, undefined, text);
    }
  }
}
