/**
 * The engine is configurable: the same requests give the same answers on the
 * WebAssembly matcher (the default) and the TypeScript reference.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, type Harness, harness, limit } from './helpers';

const opened: Harness[] = [];
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

async function script(engine: 'js' | 'wasm') {
  const h = await harness({ engine });
  opened.push(h);
  const out = [];
  out.push(await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5)));
  out.push(await h.call('POST', '/v1/orders', limit(2, 'sell', 101, 5)));
  out.push(await h.call('POST', '/v1/orders', limit(1, 'buy', 101, 7), BOB));
  out.push(await h.call('PATCH', '/v1/orders/BTC-USD/2', { qty: 1 }));
  out.push(
    await h.call('POST', '/v1/orders/batch', {
      symbol: 'BTC-USD',
      orders: [
        { id: 5, side: 'buy', price: 99, qty: 2 },
        { id: 6, side: 'sell', type: 'market', qty: 1 },
        { id: 7, side: 'buy', price: 500_000, qty: 1 },
      ],
    }),
  );
  out.push(await h.call('DELETE', '/v1/orders/BTC-USD/5'));
  out.push(await h.call('GET', '/v1/depth/BTC-USD'));
  return out;
}

describe('engines', () => {
  it("'wasm' answers exactly like 'js'", async () => {
    const js = await script('js');
    const wasm = await script('wasm');
    expect(wasm).toEqual(js);
    expect(js.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
  });
});
