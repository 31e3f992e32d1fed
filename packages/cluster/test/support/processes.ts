import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ClusterConfig } from '../../src/config';
import type { MatcherStatus } from '../../src/matcher';
import { statusSubject } from '../../src/names';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const GATEWAY_CLI = fileURLToPath(new URL('../../../gateway/dist/cli.js', import.meta.url));

/** A cluster process (built CLI) and the JSON lines it printed. */
export interface ClusterProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves at the first printed line matching `test`. */
  waitFor(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The end of what it wrote to stderr, and how it exited (for failure reports). */
  describe(): string;
}

export function writeConfig(dir: string, config: ClusterConfig): string {
  const file = join(dir, `cluster-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export function startProcess(args: string[], cli = CLI): ClusterProcess {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const watchers: {
    test: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let buffered = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      for (const w of [...watchers]) {
        if (w.test(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(line);
        }
      }
      nl = buffered.indexOf('\n');
    }
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    lines,
    waitFor(test) {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        watchers.push({ test, resolve });
        void exited.then(() =>
          reject(new Error(`process exited before the line was printed: ${stderr}`)),
        );
      });
    },
    describe() {
      return `exit=${child.exitCode ?? child.signalCode ?? 'running'} lines=${JSON.stringify(lines.slice(-3))} stderr=${stderr.slice(-1500)}`;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export function startMatcherProcess(
  configFile: string,
  shard: string,
  node: string,
): ClusterProcess {
  return startProcess(['matcher', '--config', configFile, '--shard', shard, '--node', node]);
}

/** Ask a matcher node for its status over NATS. */
export async function matcherStatus(
  nc: NatsConnection,
  shard: string,
  node: string,
): Promise<MatcherStatus> {
  const reply = await nc.request(statusSubject(shard, node), '', { timeout: 5000 });
  return JSON.parse(reply.string()) as MatcherStatus;
}

/** A gateway process (the gateway package's built CLI) in cluster mode; resolves with its URL once listening. */
export async function startGatewayProcess(
  configFile: string,
): Promise<{ proc: ClusterProcess; url: string }> {
  const proc = startProcess(['--config', configFile], GATEWAY_CLI);
  const line = await proc.waitFor((l) => l.msg === 'listening');
  return { proc, url: String(line.url) };
}
