import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBook, Engine, WasmBook } from '../src/index';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';

describe('createBook engine choice', () => {
  const config = { minPrice: 1, maxPrice: 100, capacity: 10 };

  it("runs the WebAssembly matcher by default and the reference matcher for engine 'js'", () => {
    const wasm = createBook(config);
    expect(wasm).toBeInstanceOf(WasmBook);
    expect(wasm.engine).toBe('wasm');
    expect(wasm.config.engine).toBe('wasm');
    const js = createBook({ ...config, engine: 'js' });
    expect(js).not.toBeInstanceOf(WasmBook);
    expect(js.engine).toBe('js');
  });

  it('gives both engines the same events for the same commands', () => {
    const commands = [
      { kind: 'limit', id: 1, side: 'sell', price: 50, qty: 4 },
      { kind: 'limit', id: 2, side: 'buy', price: 51, qty: 6, owner: 3 },
      { kind: 'cancel', id: 9 },
    ] as const;
    expect(createBook(config).apply([...commands])).toEqual(
      createBook({ ...config, engine: 'js' }).apply([...commands]),
    );
  });

  it('lets an Engine registry host books of both engines', () => {
    const engine = new Engine();
    engine.addBook('A', config);
    engine.addBook('B', { ...config, engine: 'js' });
    expect(engine.book('A').engine).toBe('wasm');
    expect(engine.book('B').engine).toBe('js');
  });
});

describe('submit(): one command, refusals as events', () => {
  it('gives the same events and sequence on both engines, and the same as apply([command])', () => {
    const space = commandSpace();
    fc.assert(
      fc.property(commandsArbitrary(space), (commands) => {
        const wasm = createBook({ ...space.config, engine: 'wasm' });
        const js = createBook({ ...space.config, engine: 'js' });
        const viaApply = createBook({ ...space.config, engine: 'wasm' });
        for (const command of commands) {
          const events = wasm.submit(command);
          expect(events).toEqual(js.submit(command));
          expect(events).toEqual(viaApply.apply([command]));
          expect(wasm.sequence).toBe(js.sequence);
        }
        expect(wasm.stateHash()).toBe(js.stateHash());
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
