import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createBook, setMatcher } from 'tickbook';

// Hand tickbook its matcher yourself, before the first book: the bytes of the
// file the package exports as tickbook/matcher.wasm (or a WebAssembly.Module).
const require = createRequire(import.meta.url);
setMatcher(readFileSync(require.resolve('tickbook/matcher.wasm')));

const book = createBook({ minPrice: 1, maxPrice: 1_000, capacity: 10 });
console.log(book.engine, book.limit({ id: 1, side: 'buy', price: 100, qty: 1 }).length); // wasm 2
