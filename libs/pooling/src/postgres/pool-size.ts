/** What the database server can give all instances of a service together. */
export interface ConnectionBudget {
  /** The server's `max_connections`. */
  serverMaxConnections: number;
  /** Connections kept free: superuser_reserved_connections, migrations, admin shells, other services. */
  reservedConnections: number;
  /** Processes holding a pool at peak: replicas × pools per replica, counting HPA's maximum and rollout surge. */
  instances: number;
}

/** The database server's hardware, for the classic active-connections guidance. */
export interface DatabaseHardware {
  /** CPU cores of the database server (not of the app host). */
  cores: number;
  /** Disks that can seek independently; 0 when the working set is cached, about 1 on SSD/network storage. */
  effectiveSpindles: number;
}

/**
 * The hard ceiling: floor((max_connections − reserved) / instances). Above it, a scaled-out fleet can open
 * more connections than the server accepts and new ones fail with "too many clients".
 */
export function maxPoolSizePerInstance(budget: ConnectionBudget): number {
  const available = budget.serverMaxConnections - budget.reservedConnections;
  const perInstance = Math.floor(available / budget.instances);
  if (!(budget.instances > 0) || perInstance < 1) {
    throw new RangeError(
      `no connection left per instance: (${budget.serverMaxConnections} − ${budget.reservedConnections}) / ${budget.instances} < 1`,
    );
  }
  return perInstance;
}

/**
 * The PostgreSQL wiki guidance for useful concurrency: cores × 2 + effective_spindles, for all instances
 * together. More connections than this mostly queue inside the server instead of inside the pool.
 */
export function poolSizeForHardware(hardware: DatabaseHardware): number {
  return hardware.cores * 2 + hardware.effectiveSpindles;
}

/**
 * The per-instance `max` to configure: the hardware guidance shared across instances, never above the
 * connection ceiling, and at least 1.
 */
export function recommendedPoolSize(budget: ConnectionBudget, hardware: DatabaseHardware): number {
  const ceiling = maxPoolSizePerInstance(budget);
  const share = Math.max(1, Math.ceil(poolSizeForHardware(hardware) / budget.instances));
  return Math.min(ceiling, share);
}
