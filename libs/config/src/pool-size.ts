import { recommendedPoolSize } from '@remedy/pooling';
import type { ConfigReader } from './config-reader.js';

export interface PoolSizeOptions {
  /** The variable counting the instances that share the server's connections (default DB_POOL_INSTANCES). */
  instancesVariable?: string;
  /** Fallbacks of the formula's inputs where an app's deployment differs from 2 instances on a 4-core server. */
  defaults?: { instances?: number; serverCores?: number };
  /** Pools each instance opens (one per process of a node:cluster): they share the instance's budget. */
  poolsPerInstance?: number;
}

/**
 * Per-instance pool size: DB_POOL_MAX when set, else the capacity formula of @remedy/pooling over the server's
 * connection budget and hardware. A budget that leaves no connection per instance is a config problem.
 */
export function readPoolSize(read: ConfigReader, options: PoolSizeOptions = {}): number {
  if (read.has('DB_POOL_MAX')) return read.integer('DB_POOL_MAX', 1, 1, 1_000);
  const instancesVariable = options.instancesVariable ?? 'DB_POOL_INSTANCES';
  const formula = () =>
    recommendedPoolSize(
      {
        serverMaxConnections: read.integer('DB_SERVER_MAX_CONNECTIONS', 100, 2, 100_000),
        reservedConnections: read.integer('DB_RESERVED_CONNECTIONS', 10, 0, 10_000),
        instances:
          read.integer(instancesVariable, options.defaults?.instances ?? 2, 1, 10_000) *
          (options.poolsPerInstance ?? 1),
      },
      {
        cores: read.integer('DB_SERVER_CORES', options.defaults?.serverCores ?? 4, 1, 1_024),
        effectiveSpindles: read.integer('DB_EFFECTIVE_SPINDLES', 1, 0, 64),
      },
    );
  return read.guard(formula, 1);
}
