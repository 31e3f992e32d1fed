import { defineConfig } from 'tsup';
import { serviceBuild } from '../../tsup.service';

export default defineConfig(
  // Runnable entry points: Node 20 cannot run .ts, so the server, the load
  // test and the crash bench are shipped as built JS. `index` is the library entry (buildGateway).
  serviceBuild({
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    loadtest: 'src/loadtest.ts',
    'crash-bench': 'src/crash-bench.ts',
  }),
);
