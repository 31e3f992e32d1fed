import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { retrying } from '../retry';
import type { LocalService } from './local-service';
import { freePort } from './ports';

const INSTALL_HINT =
  'nats-server (2.9 or later) not found: install it with `apt-get install -y nats-server` (Debian/Ubuntu) or put it on PATH';

/** Where the nats-server binary is, or a thrown error saying how to install it. */
export function natsServerBinary(): string {
  for (const candidate of [
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return (
      execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || fail()
    );
  } catch {
    return fail();
  }
  function fail(): never {
    throw new Error(INSTALL_HINT);
  }
}

/** One nats-server process of a local JetStream cluster. */
export interface NatsNode extends LocalService {
  readonly name: string;
  readonly url: string;
  readonly storeDir: string;
  /** SIGKILL: no goodbye to its peers, as a crashed machine (`stop` sends SIGTERM). */
  kill(): Promise<void>;
}

/** A local JetStream cluster of `size` nodes on loopback (1 = a single server, no clustering). */
export interface NatsCluster {
  readonly nodes: NatsNode[];
  /** Client URLs of every node. */
  readonly servers: string[];
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `size` nats-server processes with JetStream, each with its own store
 * directory under `dir`, clustered over loopback routes. Resolves when every
 * node answers JetStream requests (a meta leader is elected).
 */
export async function startNatsCluster(options: {
  dir: string;
  size?: number;
  /** Largest message the servers take (nats-server syntax). Default 8MB; NATS's own default is 1MB. */
  maxPayload?: string;
}): Promise<NatsCluster> {
  const binary = natsServerBinary();
  const size = options.size ?? 3;
  const clientPorts = await Promise.all(Array.from({ length: size }, freePort));
  const routePorts = await Promise.all(Array.from({ length: size }, freePort));
  const nodes: NatsNode[] = [];
  for (let i = 0; i < size; i++) {
    const name = `n${i + 1}`;
    const storeDir = join(options.dir, name);
    mkdirSync(storeDir, { recursive: true });
    const conf = join(options.dir, `${name}.conf`);
    const routes = routePorts.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ');
    writeFileSync(
      conf,
      [
        `server_name: ${name}`,
        `listen: "127.0.0.1:${clientPorts[i]}"`,
        // Commands are batched into messages well under this.
        `max_payload: ${options.maxPayload ?? '8MB'}`,
        `jetstream { store_dir: "${storeDir}", max_memory_store: 256MB, max_file_store: 8GB }`,
        size > 1
          ? `cluster { name: tickbook, listen: "127.0.0.1:${routePorts[i]}", routes: [${routes}] }`
          : '',
      ].join('\n'),
    );
    /** Signal the process and wait for it to go; cleared first so its exit is not reported. */
    const halt = async (signal: NodeJS.Signals): Promise<void> => {
      const child = node.process;
      if (!child) return;
      node.process = undefined;
      child.kill(signal);
      await exited(child);
    };
    const node: NatsNode = {
      name,
      url: `nats://127.0.0.1:${clientPorts[i]}`,
      storeDir,
      process: undefined,
      async start() {
        const child = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
        let log = '';
        child.stderr?.on('data', (d: Buffer) => {
          log = (log + d.toString()).slice(-4000);
        });
        child.once('exit', (code, signal) => {
          if (node.process === child && signal === null) {
            process.stderr.write(`nats-server ${name} exited ${code}: ${log}\n`);
          }
        });
        node.process = child;
      },
      kill: () => halt('SIGKILL'),
      stop: () => halt('SIGTERM'),
    };
    nodes.push(node);
  }
  await Promise.all(nodes.map((n) => n.start()));
  await Promise.all(nodes.map((n) => waitForJetStream(n.url)));
  return {
    nodes,
    servers: nodes.map((n) => n.url),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** Resolve once the server at `url` answers a JetStream account request. */
export async function waitForJetStream(url: string, timeoutMs = 30_000): Promise<void> {
  await retrying(
    `JetStream at ${url}`,
    async () => {
      const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
      try {
        const jsm = await jetstreamManager(nc, { timeout: 1000 });
        await jsm.getAccountInfo();
      } finally {
        await nc.close();
      }
    },
    { timeoutMs, quiet: true },
  );
}
