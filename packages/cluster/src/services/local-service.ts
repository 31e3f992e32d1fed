import type { ChildProcess } from 'node:child_process';

/** A server this package runs on loopback for tests and local trials. */
export interface LocalService {
  /** The running server process; undefined while it is stopped. */
  process: ChildProcess | undefined;
  /** Start it (again) with the same ports and files. */
  start(): Promise<void>;
  /** Ask it to shut down, and wait until it has. */
  stop(): Promise<void>;
}
