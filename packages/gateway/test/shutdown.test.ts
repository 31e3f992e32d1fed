/**
 * SIGTERM with clients connected, on a real gateway process: idle keep-alive
 * connections do not hold the exit up, stream clients are told 1001 (going
 * away), the journal is checkpointed, and the exit code is 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeJournal, restoreBook } from 'tickbook';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ALICE, tempDir, testConfig } from './helpers';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = tempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('exits promptly with clients connected: streams get 1001, the journal is checkpointed, exit code 0', async () => {
    const configPath = join(dir, 'gateway.json');
    writeFileSync(
      configPath,
      JSON.stringify(testConfig(dir, { logLevel: 'error', checkpointEveryCommands: 1_000_000 })),
    );
    const child = spawn(process.execPath, [cli, '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    const url = await new Promise<string>((ok) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line);
        if (msg.msg === 'listening') ok(msg.url);
      });
    });
    // a keep-alive HTTP connection, left idle after one acknowledged order
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    const status = await new Promise<number>((ok, fail) => {
      const req = request(
        `${url}/v1/orders`,
        {
          method: 'POST',
          agent,
          headers: { 'x-api-key': ALICE, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify({ symbol: 'BTC-USD', id: 1, side: 'buy', price: 90, qty: 1 }));
    });
    expect(status).toBe(200);
    // a stream client
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream?key=${ALICE}`);
    await new Promise((ok) => ws.once('open', ok));
    const closeCode = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await closeCode).toBe(1001);
    agent.destroy();
    // the final checkpoint holds the order; the journal after it is empty
    const data = join(dir, 'data');
    expect(restoreBook(readFileSync(join(data, 'BTC-USD.snapshot'))).size).toBe(1);
    expect(decodeJournal(readFileSync(join(data, 'BTC-USD.journal'))).records).toEqual([]);
  });
});
