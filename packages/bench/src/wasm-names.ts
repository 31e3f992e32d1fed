/**
 * Names for WebAssembly frames in a CPU profile. V8 names a WASM function
 * from the module's name section; a module built without one shows up as
 * `wasm-function[N]`. This reads the engine's `.wasm` file (shipped next to
 * tickbook's bundle) and maps each function index to its name-section name,
 * else its export name, so the top-functions table stays readable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function uleb(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let p = pos;
  for (;;) {
    const byte = b[p++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, p];
    shift += 7;
  }
}

function str(b: Uint8Array, pos: number): [string, number] {
  const [len, p] = uleb(b, pos);
  return [Buffer.from(b.subarray(p, p + len)).toString('utf8'), p + len];
}

/** Function index → name, from the name section (subsection 1) and the exports. */
export function wasmFunctionNames(bytes: Uint8Array): Map<number, string> {
  const exported = new Map<number, string>();
  const named = new Map<number, string>();
  let pos = 8; // magic + version
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = uleb(bytes, pos + 1);
    const end = start + size;
    if (id === 7) {
      let [count, p] = uleb(bytes, start);
      while (count-- > 0) {
        let name: string;
        [name, p] = str(bytes, p);
        const kind = bytes[p++];
        let index: number;
        [index, p] = uleb(bytes, p);
        if (kind === 0) exported.set(index, name);
      }
    } else if (id === 0) {
      const [section, p0] = str(bytes, start);
      let p = p0;
      while (section === 'name' && p < end) {
        const sub = bytes[p];
        const [len, q] = uleb(bytes, p + 1);
        if (sub === 1) {
          let [count, r] = uleb(bytes, q);
          while (count-- > 0) {
            let index: number;
            let name: string;
            [index, r] = uleb(bytes, r);
            [name, r] = str(bytes, r);
            named.set(index, name);
          }
        }
        p = q + len;
      }
    }
    pos = end;
  }
  for (const [i, n] of exported) if (!named.has(i)) named.set(i, n);
  return named;
}

/** Names of the functions in tickbook's shipped `matcher.wasm`, or an empty map. */
export function tickbookWasmNames(): Map<number, string> {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve('tickbook')), 'matcher.wasm');
    return existsSync(file) ? wasmFunctionNames(readFileSync(file)) : new Map();
  } catch {
    return new Map();
  }
}

/** `wasm-function[10]` → `applyBatch` (or `wasm-function[10]` when unknown). */
export function wasmFrameName(name: string, names: ReadonlyMap<number, string>): string {
  const m = /^wasm-function\[(\d+)\]$/.exec(name);
  if (!m) return name;
  const known = names.get(Number(m[1]));
  return known ? `${known} (wasm #${m[1]})` : name;
}

/** Renames `wasm-function[N]` frames of `profile` in place (after it was saved as recorded). */
export function nameWasmFrames(
  profile: { nodes: { callFrame: { functionName: string } }[] },
  names: ReadonlyMap<number, string>,
): void {
  if (names.size === 0) return;
  for (const n of profile.nodes)
    n.callFrame.functionName = wasmFrameName(n.callFrame.functionName, names);
}
