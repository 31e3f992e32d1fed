import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { retrying } from '../retry';
import type { LocalService } from './local-service';
import { freePort } from './ports';

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, postgres) not found: install them with `apt-get install -y postgresql` (Debian/Ubuntu), or set TICKBOOK_PG_BIN to their directory';

/** The directory holding initdb and postgres, or a thrown error saying how to install them. */
export function postgresBinDir(): string {
  const fromEnv = process.env.TICKBOOK_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'postgres'))) return dir;
  } catch {
    // no pg_config: fall through to the hint
  }
  throw new Error(INSTALL_HINT);
}

/** A PostgreSQL server of its own, on a loopback port, for tests and local trials. */
export interface PostgresServer extends LocalService {
  readonly connectionString: string;
  readonly port: number;
  readonly dataDir: string;
}

/** PostgreSQL refuses to run as root: run it as this account then (Debian's package creates it). */
function unprivilegedUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'running as root and no unprivileged account (postgres, nobody) to run PostgreSQL as',
  );
}

/** Let other accounts pass through the directories above `dir` (a mkdtemp directory is 0700). */
function allowTraverse(dir: string): void {
  for (let d = resolve(dir); d !== dirname(d); d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, (mode & 0o7777) | 0o011);
  }
}

/**
 * initdb a fresh cluster in `dir` and start `postgres` on a free loopback
 * port (trust authentication, database `tickbook`). As root, it runs as the
 * `postgres` account.
 */
export async function startPostgres(options: { dir: string }): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = unprivilegedUser();
  const dataDir = join(options.dir, 'pgdata');
  mkdirSync(options.dir, { recursive: true });
  if (user) {
    chmodSync(options.dir, 0o755);
    chownSync(options.dir, user.uid, user.gid);
    allowTraverse(dirname(options.dir));
  }
  const spawnOptions = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-A', 'trust', '-U', 'tickbook', '--no-sync', '-E', 'UTF8'],
    { ...spawnOptions, stdio: 'pipe', cwd: options.dir },
  );
  const port = await freePort();
  const connectionString = `postgres://tickbook@127.0.0.1:${port}/postgres`;
  const server: PostgresServer = {
    connectionString,
    port,
    dataDir,
    process: undefined,
    async start() {
      const child = spawn(
        join(bin, 'postgres'),
        ['-D', dataDir, '-p', String(port), '-k', options.dir, '-c', 'listen_addresses=127.0.0.1'],
        { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dir },
      );
      let log = '';
      child.stderr?.on('data', (d: Buffer) => {
        log = (log + d.toString()).slice(-4000);
      });
      server.process = child;
      await retrying(
        `PostgreSQL on port ${port}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`postgres exited ${child.exitCode}: ${log}`);
          const client = new pg.Client({ connectionString });
          await client.connect();
          await client.end();
        },
        { timeoutMs: 30_000, quiet: true },
      );
    },
    async stop() {
      const child = server.process;
      if (!child) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT'); // fast shutdown
      await done;
      server.process = undefined;
    },
  };
  await server.start();
  return server;
}
