/**
 * tickbook across processes: commands sequenced by NATS JetStream, matcher
 * shards with hot standbys, results published to an event stream, trades and
 * orders written to PostgreSQL exactly once.
 * @packageDocumentation
 */
export {
  ClusterClient,
  DuplicateWithoutResult,
  type SubmitOptions,
  type SubmitResult,
} from './client';
export { type ClusterConfig, type ResolvedClusterConfig, resolveClusterConfig } from './config';
export { BookFollower, type FollowerOptions } from './follower';
export { MatcherNode, type MatcherOptions, type MatcherStatus } from './matcher';
export * from './names';
export {
  type CommandResult,
  type EventMessage,
  EventMessageAssembler,
  type MessageResults,
} from './results';
export { type NatsCluster, type NatsNode, startNatsCluster } from './services/nats-server';
export { type PostgresServer, startPostgres } from './services/postgres-server';
export { MIGRATIONS_DIR, migrate } from './sink/migrate';
export { PgSink, type PgSinkOptions } from './sink/pg-sink';
