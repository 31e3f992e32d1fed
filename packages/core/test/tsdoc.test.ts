/**
 * Every export of the public entry points has a TSDoc comment: the API
 * reference is generated from them, and an export without one is a blank
 * entry there. Counted with the TypeScript compiler on the sources.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const entries = ['src/index.ts', 'src/workloads/index.ts'].map((f) =>
  resolve(import.meta.dirname, '..', f),
);

function undocumented(): { documented: number; missing: string[] } {
  const program = ts.createProgram(entries, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  let documented = 0;
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`cannot read ${entry}`);
    const module = checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const docs = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      if (docs.length > 0) documented++;
      else
        missing.push(
          `${entry.includes('workloads') ? 'tickbook/workloads' : 'tickbook'}: ${exported.name}`,
        );
    }
  }
  return { documented, missing };
}

it('documents every export of tickbook and tickbook/workloads', () => {
  const { documented, missing } = undocumented();
  expect(documented).toBeGreaterThan(80);
  expect(missing, 'add a TSDoc comment to each of these').toEqual([]);
}, 60_000);
