import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Options as `parseArgs` takes them. */
type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command-line options of a script. `npm run gateway -- --port 9000`
 * hands a leading `--` through pnpm: it is dropped.
 */
export function scriptOptions<T extends Options>(
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T }>> {
  const argv = process.argv.slice(2);
  return parseArgs({ args: argv[0] === '--' ? argv.slice(1) : argv, options });
}
