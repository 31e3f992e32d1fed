/** The shared scenario suite (every rule of docs/semantics.md, exact events) on the WASM engine. */
import { resolveConfig } from '../src/config';
import { createWasmBook } from '../src/wasm/index';
import { describeBook } from './support/book-suite';

describeBook('wasm', (config) => createWasmBook(resolveConfig({ ...config, engine: 'wasm' })));
