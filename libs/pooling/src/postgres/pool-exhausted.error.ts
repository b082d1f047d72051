/**
 * Raised when every connection of a pool stayed busy for the whole `connectionTimeoutMillis`. pg-pool says
 * only "timeout exceeded when trying to connect", which reads like a network problem; this names the pool
 * and its size so the reader looks at saturation (slow queries, leaked clients, pool too small) instead.
 */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';

  constructor(
    readonly pool: string,
    readonly max: number,
    readonly waitedMs: number,
    options?: ErrorOptions,
  ) {
    super(`pool '${pool}' exhausted: all ${max} connections busy for ${waitedMs} ms`, options);
  }
}
