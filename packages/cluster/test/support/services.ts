import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsCluster, startNatsCluster } from '../../src/services/nats-server';
import { type PostgresServer, startPostgres } from '../../src/services/postgres-server';

/** A scratch directory removed by the returned function. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tb-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Real services for one test file: NATS (1 or 3 nodes) and optionally PostgreSQL. */
export async function startServices(options: {
  natsNodes: 1 | 3;
  postgres?: boolean;
  /** The NATS servers' max_payload (see startNatsCluster). */
  maxPayload?: string;
}): Promise<{
  nats: NatsCluster;
  db: PostgresServer | undefined;
  stop: () => Promise<void>;
}> {
  const { dir, remove } = scratch('services');
  const nats = await startNatsCluster({
    dir: join(dir, 'nats'),
    size: options.natsNodes,
    maxPayload: options.maxPayload,
  });
  let db: PostgresServer | undefined;
  try {
    db = options.postgres ? await startPostgres({ dir: join(dir, 'pg') }) : undefined;
  } catch (e) {
    await nats.stop(); // no server left behind by a failed start
    remove();
    throw e;
  }
  return {
    nats,
    db,
    async stop() {
      await db?.stop();
      await nats.stop();
      remove();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns true (tests wait for convergence, not for a time). */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
