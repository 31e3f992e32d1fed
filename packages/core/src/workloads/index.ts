/**
 * `tickbook/workloads`: the benchmark workloads of docs/workloads.md, generated
 * up front into typed arrays, with checksum accounting. One implementation,
 * used by the tests and by `packages/bench`.
 * @packageDocumentation
 */

export type { W1Checksums } from './checksum';
export {
  CHECKSUM_LABELS,
  ChecksumAccumulator,
  checksumMismatches,
  W1_EXPECTED,
} from './checksum';
export type { OpKind, Ops } from './ops';
export {
  allocOps,
  countKinds,
  OP_CANCEL,
  OP_KIND_NAMES,
  OP_MARKET,
  OP_MARKETABLE,
  OP_PASSIVE,
  SIDE_BUY,
  SIDE_NAMES,
  SIDE_SELL,
} from './ops';
export { mulberry32 } from './prng';
export { replayBatch, replayPerOrder, toCommand, toCommandBuffer, toCommands } from './replay';
export type { ResolvedW1Options, W1Options, W1Workload } from './w1';
export { generateW1, resolveW1Options, W1_DEFAULTS, W1Generator } from './w1';
