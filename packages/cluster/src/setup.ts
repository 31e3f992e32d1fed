import {
  DiscardPolicy,
  type JetStreamManager,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ResolvedClusterConfig } from './config';
import { COMMAND_STREAM, EVENT_STREAM, LEASE_BUCKET, SNAPSHOT_BUCKET } from './names';

/** The streams and buckets of a cluster, opened (and created when missing). */
export interface ClusterStores {
  jsm: JetStreamManager;
  leases: KV;
  snapshots: ObjectStore;
}

const ns = (ms: number) => ms * 1_000_000;

async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subjects: string[],
  config: ResolvedClusterConfig,
): Promise<void> {
  const wanted = {
    name,
    subjects,
    num_replicas: config.replicas,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: ns(config.duplicateWindowMs),
    allow_direct: true,
  };
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add(wanted);
    } catch (e) {
      // Another process created it first.
      await jsm.streams.info(name).catch(() => {
        throw e;
      });
    }
  }
}

/**
 * Create the cluster's streams and buckets when missing (every process calls
 * it at start; it is idempotent).
 */
export async function openStores(
  nc: NatsConnection,
  config: ResolvedClusterConfig,
): Promise<ClusterStores> {
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, COMMAND_STREAM, ['tb.cmd.*'], config);
  await ensureStream(jsm, EVENT_STREAM, ['tb.evt.*'], config);
  const leases = await new Kvm(nc).create(LEASE_BUCKET, {
    replicas: config.replicas,
    ttl: config.leaseMs,
    history: 1,
  });
  const snapshots = await new Objm(nc).create(SNAPSHOT_BUCKET, { replicas: config.replicas });
  return { jsm, leases, snapshots };
}
