#!/usr/bin/env node
/**
 * Run the gateway:
 *   node dist/cli.js [--config FILE] [--host H] [--port N] [--data-dir DIR]
 *                    [--engine js|wasm] [--no-journal] [--fsync batch|interval|never]
 *                    [--checkpoint-every-commands N] [--checkpoint-every-bytes N]
 *                    [--checkpoint-every-ms N] [--batch-window-ms N]
 * Without --config (or TICKBOOK_GATEWAY_CONFIG) the built-in default config is used.
 * Prints one JSON line `{"msg":"listening","url":...}` once it accepts connections.
 */
import { scriptOptions } from './args';
import { type GatewayConfig, loadGatewayConfig, resolveGatewayConfig } from './config';
import { buildGateway } from './server';

async function main(): Promise<void> {
  const { values } = scriptOptions({
    config: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    engine: { type: 'string' },
    'no-journal': { type: 'boolean' },
    fsync: { type: 'string' },
    'checkpoint-every-commands': { type: 'string' },
    'checkpoint-every-bytes': { type: 'string' },
    'checkpoint-every-ms': { type: 'string' },
    'batch-window-ms': { type: 'string' },
    'no-batching': { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(
      'usage: tickbook-gateway [--config FILE] [--host H] [--port N] [--data-dir DIR]\n' +
        '       [--engine js|wasm] [--no-journal] [--fsync batch|interval|never]\n' +
        '       [--checkpoint-every-commands N] [--checkpoint-every-bytes N]\n' +
        '       [--checkpoint-every-ms N] [--batch-window-ms N] [--no-batching]\n' +
        '       [--log-level LEVEL]\n',
    );
    return;
  }
  const file = values.config ?? process.env.TICKBOOK_GATEWAY_CONFIG;
  const base: GatewayConfig = file ? loadGatewayConfig(file) : resolveGatewayConfig({});
  const overrides: Partial<GatewayConfig> = {};
  if (values.host) overrides.host = values.host;
  if (values.port) overrides.port = Number(values.port);
  if (values['data-dir']) overrides.dataDir = values['data-dir'];
  if (values.engine) overrides.engine = values.engine as GatewayConfig['engine'];
  if (values['no-journal']) overrides.journal = false;
  if (values.fsync) overrides.fsync = values.fsync as GatewayConfig['fsync'];
  if (values['checkpoint-every-commands']) {
    overrides.checkpointEveryCommands = Number(values['checkpoint-every-commands']);
  }
  if (values['checkpoint-every-bytes']) {
    overrides.checkpointEveryBytes = Number(values['checkpoint-every-bytes']);
  }
  if (values['checkpoint-every-ms']) {
    overrides.checkpointEveryMs = Number(values['checkpoint-every-ms']);
  }
  if (values['batch-window-ms']) overrides.batchWindowMs = Number(values['batch-window-ms']);
  if (values['no-batching']) overrides.batching = false;
  if (values['log-level']) overrides.logLevel = values['log-level'] as GatewayConfig['logLevel'];
  const config = resolveGatewayConfig({ ...base, ...overrides });

  const { app, recovered, markets } = await buildGateway(config);
  const url = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(
    `${JSON.stringify({
      msg: 'listening',
      url,
      engine: config.engine,
      // in cluster mode the cluster's command stream is the journal
      ...(config.cluster
        ? { cluster: config.cluster.servers }
        : { journal: config.journal ? config.dataDir : false, fsync: config.fsync }),
      symbols: config.instruments.map((i) => i.symbol),
      recovered: Object.fromEntries(recovered),
    })}\n`,
  );

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${JSON.stringify({ msg: 'stopping', signal })}\n`);
    // Requests in flight get `shutdownDeadlineMs` to finish; then their
    // connections close anyway, so an orchestrator's kill never comes first.
    const deadline = setTimeout(() => {
      process.stdout.write(`${JSON.stringify({ msg: 'deadline: closing connections' })}\n`);
      app.server.closeAllConnections();
    }, config.shutdownDeadlineMs);
    deadline.unref();
    app.close().then(
      () => {
        // a symbol whose final flush or checkpoint failed: say so in the exit code
        const failed = [...markets.values()].filter((m) => m.failure).map((m) => m.symbol);
        if (failed.length > 0) {
          process.stderr.write(
            `${JSON.stringify({ msg: 'stopped with failures', symbols: failed })}\n`,
          );
          process.exit(1);
        }
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`tickbook-gateway: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
