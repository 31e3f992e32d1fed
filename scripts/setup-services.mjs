#!/usr/bin/env node
// Installs the servers the cluster tests start for real (nats-server and
// PostgreSQL) when they are missing, with Debian's packages. Without root or
// apt-get it only says what is missing: the tests that need a server then
// fail naming what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const hasNats =
  ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].some(
    existsSync,
  ) || spawnSync('sh', ['-c', 'command -v nats-server']).status === 0;
const pgRoot = '/usr/lib/postgresql';
const hasPostgres =
  (existsSync(pgRoot) &&
    readdirSync(pgRoot).some((v) => existsSync(`${pgRoot}/${v}/bin/postgres`))) ||
  (process.env.TICKBOOK_PG_BIN !== undefined &&
    existsSync(`${process.env.TICKBOOK_PG_BIN}/postgres`));

const missing = [...(hasNats ? [] : ['nats-server']), ...(hasPostgres ? [] : ['postgresql'])];
if (missing.length === 0) process.exit(0);

const canApt =
  process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (!canApt) {
  console.warn(
    `setup: missing ${missing.join(', ')}; install with: apt-get install -y ${missing.join(' ')}`,
  );
  process.exit(0);
}
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const install = () =>
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  }).status === 0;
console.log(`setup: installing ${missing.join(', ')} with apt-get`);
if (!install()) {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (!install()) {
    console.warn(`setup: apt-get could not install ${missing.join(', ')}`);
  }
}
