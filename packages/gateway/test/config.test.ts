import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildGateway,
  DEFAULT_CONFIG,
  loadGatewayConfig,
  resolveGatewayConfig,
} from '../src/index';
import { tempDir, testConfig } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('config', () => {
  it('defaults to loopback, the WebAssembly engine and a journal', () => {
    const c = resolveGatewayConfig({}, '/srv/gw');
    expect(c.host).toBe('127.0.0.1');
    expect(c.engine).toBe('wasm');
    expect(c.journal).toBe(true);
    expect(c.fsync).toBe('batch');
    expect(c.checkpointEveryCommands).toBe(10_000_000);
    expect(c.dataDir).toBe('/srv/gw/data');
    expect(c.instruments).toEqual(DEFAULT_CONFIG.instruments);
  });

  it('reads a file; a relative dataDir resolves against the file', () => {
    const d = dir();
    const path = join(d, 'gw.json');
    writeFileSync(
      path,
      JSON.stringify({
        port: 9000,
        dataDir: 'journals',
        instruments: [{ symbol: 'X', minPrice: 1, maxPrice: 10, capacity: 5 }],
        accounts: [{ key: 'a-long-key', owner: 3 }],
      }),
    );
    const c = loadGatewayConfig(path);
    expect(c.port).toBe(9000);
    expect(c.dataDir).toBe(join(d, 'journals'));
    expect(c.instruments.map((i) => i.symbol)).toEqual(['X']);
  });

  it.each([
    [{ port: 'x' }, '/port must be integer'],
    [{ engine: 'c++' }, '/engine must be equal to one of the allowed values'],
    [
      { instruments: [{ symbol: 'a/b', minPrice: 1, maxPrice: 2, capacity: 1 }] },
      '/instruments/0/symbol must match pattern',
    ],
    [
      { accounts: [{ key: 'short', owner: 1 }] },
      '/accounts/0/key must NOT have fewer than 8 characters',
    ],
    [{ accounts: [{ key: 'a-long-key', owner: 2 ** 21 }] }, '/accounts/0/owner must be <= 2097151'],
    [{ checkpointEveryCommands: -1 }, '/checkpointEveryCommands must be >= 0'],
    [{ checkpointEveryCommands: 1.5 }, '/checkpointEveryCommands must be integer'],
    [{ checkpointEveryCommands: '1000' }, '/checkpointEveryCommands must be integer'],
    [{ colour: 'red' }, '(root) must NOT have additional properties'],
    [
      {
        instruments: [
          { symbol: 'A', minPrice: 1, maxPrice: 2, capacity: 1 },
          { symbol: 'A', minPrice: 1, maxPrice: 2, capacity: 1 },
        ],
      },
      'duplicate symbol A',
    ],
    [
      {
        accounts: [
          { key: 'a-long-key', owner: 1 },
          { key: 'a-long-key', owner: 2 },
        ],
      },
      'duplicate API key',
    ],
  ])('refuses %j', (input, message) => {
    expect(() => resolveGatewayConfig(input as never)).toThrow(message);
  });

  it('refuses a band the engine refuses', async () => {
    const d = dir();
    await expect(
      buildGateway(
        testConfig(d, { instruments: [{ symbol: 'X', minPrice: 10, maxPrice: 5, capacity: 1 }] }),
      ),
    ).rejects.toThrow('INVALID_CONFIG');
  });

  it('refuses to start on a journal written for another band of the same symbol', async () => {
    const d = dir();
    const first = await buildGateway(testConfig(d));
    await first.app.close();
    const changed = testConfig(d, {
      instruments: [{ symbol: 'BTC-USD', minPrice: 1, maxPrice: 200_000, capacity: 1000 }],
    });
    // openJournaledBook itself refuses a config other than its files' (CONFIG_MISMATCH naming the field).
    await expect(buildGateway(changed)).rejects.toThrow(
      /BTC-USD\.journal was written for a different BTC-USD book|CONFIG_MISMATCH: .*maxPrice/,
    );
  });

  it('runs without a journal when asked, writing no files', async () => {
    const d = dir();
    mkdirSync(join(d, 'data'));
    const gw = await buildGateway(testConfig(d, { journal: false }));
    const res = await gw.app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toMatchObject({ status: 'ok', journal: false });
    await gw.app.close();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(d, 'data'))).toEqual([]);
  });
});
