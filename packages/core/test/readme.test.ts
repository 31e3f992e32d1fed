/**
 * The README's quick start is runnable: run it against the source and check
 * that it prints what its comments say.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import * as tickbook from '../src/index';

it('README quick start prints what its comments promise', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README has no ts block under "Quick start"');
  const expected = code
    .split('\n')
    .filter((line) => line.startsWith('// '))
    .map((line) => line.slice(3));
  const printed: string[] = [];
  const log = (...args: unknown[]) =>
    printed.push(
      args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a).replace(/"/g, ''))).join(' '),
    );
  const body = code
    .replace(/^import .* from 'tickbook';$/m, '')
    .replace(/console\.log\(([^;]*)\);( \/\/ (.*))?/g, (_m, args: string, _c, comment?: string) => {
      if (comment) expected.push(comment);
      return `log(${args});`;
    });
  new Function('tickbook', 'log', `const { createBook } = tickbook;\n${body}`)(tickbook, log);
  const normalise = (s: string) => s.replace(/\s+/g, '').replace(/_/g, '');
  expect(printed.map(normalise).sort()).toEqual(expected.map(normalise).sort());
});
