import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Command,
  createBook,
  decodeCommands,
  encodeCommands,
  isTickbookError,
} from '../src/index';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';

function encodes(c: Command): boolean {
  try {
    encodeCommands([c]);
    return true;
  } catch (e) {
    if (isTickbookError(e) && e.code === 'INVALID_COMMAND') return false;
    throw e;
  }
}

describe('command batch codec', () => {
  it('decodes what it encodes, and the decoded commands drive a book to the same state', () => {
    fc.assert(
      fc.property(commandsArbitrary(commandSpace()), (generated) => {
        const commands = generated.filter(encodes);
        const decoded = decodeCommands(encodeCommands(commands));
        expect(decoded).toEqual(commands);
        const a = createBook({ engine: 'js', ...commandSpace().config });
        const b = createBook({ engine: 'js', ...commandSpace().config });
        expect(b.apply(decoded)).toEqual(a.apply(commands));
        expect(b.stateHash()).toBe(a.stateHash());
        // What the codec refuses, a book refuses too: nothing a book would
        // apply is lost on the wire.
        for (const c of generated) {
          if (encodes(c)) continue;
          const [e] = createBook({ engine: 'js', ...commandSpace().config }).submit(c);
          expect(e?.type).toBe('rejected');
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('refuses a value that is not a command, and damaged bytes', () => {
    const refused = (f: () => unknown, code: string) => {
      try {
        f();
        return false;
      } catch (e) {
        return isTickbookError(e) && e.code === code;
      }
    };
    expect(refused(() => encodeCommands([{ kind: 'nope' } as never]), 'INVALID_COMMAND')).toBe(
      true,
    );
    const bytes = encodeCommands([{ kind: 'cancel', id: 5 }]);
    expect(refused(() => decodeCommands(bytes.subarray(0, bytes.length - 1)), 'CORRUPT_DATA')).toBe(
      true,
    );
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    expect(refused(() => decodeCommands(extra), 'CORRUPT_DATA')).toBe(true);
    const wrongMagic = bytes.slice();
    wrongMagic[0] ^= 1;
    expect(refused(() => decodeCommands(wrongMagic), 'CORRUPT_DATA')).toBe(true);
  });
});
