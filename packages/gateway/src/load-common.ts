/**
 * What the gateway load test and the crash bench share: the order flow, the
 * symbol and accounts they use, starting a gateway child process, and a
 * WebSocket subscriber that never reads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SYMBOL = 'LOAD';
export const MID = 500_000;
export const ACCOUNTS = 8;

const here = dirname(fileURLToPath(import.meta.url));

/** Deterministic order flow: limit GTC orders around a fixed mid; most cross it and trade, the rest rest. */
export function orderFlow() {
  let seed = 0x2545f491;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const nextId = new Array<number>(ACCOUNTS).fill(0);
  return (account: number) => {
    const side = rnd() < 0.5 ? 'buy' : 'sell';
    const offset = Math.floor(rnd() * 40) - 10; // -10…29: three in four cross the mid
    return {
      id: ++nextId[account],
      side,
      price: side === 'buy' ? MID + offset : MID - offset,
      qty: 1 + Math.floor(rnd() * 10),
    };
  };
}

/** The gateway's `listening` line. */
export interface Listening {
  msg: 'listening';
  url: string;
  recovered: Record<string, number>;
}

/**
 * Start `dist/cli.js --config configPath` as a child process (Node's default
 * heap unless `nodeArgs` say otherwise); resolves once it listens.
 */
export async function spawnGateway(
  configPath: string,
  nodeArgs: string[] = [],
  gatewayArgs: string[] = [],
): Promise<{ child: ChildProcess; url: string; listening: Listening }> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(here, 'cli.js'), '--config', configPath, ...gatewayArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const listening = await new Promise<Listening>((ok, fail) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => fail(new Error(`gateway exited (${code}) before listening`)));
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as Partial<Listening>;
        if (msg.msg === 'listening' && msg.url) ok(msg as Listening);
      } catch {
        // not a status line
      }
    });
  });
  return { child, url: listening.url, listening };
}

/**
 * A raw TCP WebSocket client that upgrades, subscribes to a symbol's L2 and
 * trades, then never reads again: the slow client the gateway must cut off
 * without stalling anyone else (load test and tests).
 */
export function neverReadingSubscriber(port: number, key: string, symbol: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nx-api-key: ${key}\r\n\r\n`,
      );
    });
    socket.once('data', (head) => {
      if (!head.toString().startsWith('HTTP/1.1 101')) reject(new Error(head.toString()));
      // one masked text frame: subscribe to l2 and trades
      const payload = Buffer.from(
        JSON.stringify({ op: 'subscribe', symbol, channels: ['l2', 'trades'] }),
      );
      const mask = Buffer.from([1, 2, 3, 4]);
      const frame = Buffer.concat([
        Buffer.from([0x81, 0x80 | payload.length]),
        mask,
        Buffer.from(payload.map((b, i) => b ^ mask[i % 4])),
      ]);
      socket.write(frame, () => {
        socket.pause(); // from here on, nothing is read
        resolve(socket);
      });
    });
    socket.on('error', () => {}); // the server resets it
  });
}
