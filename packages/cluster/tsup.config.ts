import { defineConfig } from 'tsup';
import { serviceBuild } from '../../tsup.service';

export default defineConfig(
  // `index` is the library; `cli` runs matcher nodes, the sink and a local dev cluster.
  serviceBuild({ index: 'src/index.ts', cli: 'src/cli.ts', bench: 'src/bench.ts' }),
);
