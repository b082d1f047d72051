import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface PoolSizing {
  /** Calls per second to this provider at the planned peak, from every worker of one instance. */
  peakCallsPerSecond: number;
  /** The provider's 99th-percentile answer time. */
  p99LatencyMs: number;
  /** Safety factor over the expected concurrency (polyglot-b:S-1 asks for one; 1.5 by default). */
  headroom?: number;
}

/**
 * Connections one instance keeps to a provider, by Little's law: calls in flight = arrival rate × time each
 * stays (polyglot-b:S-1: "max_connections = expected RPS × avg request duration × safety factor"). The p99
 * rather than the mean keeps the pool from running dry whenever the provider is slow; e.g. 200 calls/s at
 * p99 300 ms × 1.5 = 90 connections. Calls beyond it queue in the agent instead of opening sockets.
 */
export function providerPoolSize({ peakCallsPerSecond, p99LatencyMs, headroom = 1.5 }: PoolSizing): number {
  return Math.max(1, Math.ceil(((peakCallsPerSecond * p99LatencyMs) / 1_000) * headroom));
}

/**
 * A keep-alive agent of `size` sockets for `baseUrl`: every call reuses an idle connection (no TCP or TLS
 * handshake per call, polyglot-a:M-3), at most `size` are open, and idle ones stay open for the next burst.
 */
export function keepAliveAgent(baseUrl: string, size: number): HttpAgent {
  const options = { keepAlive: true, maxSockets: size, maxFreeSockets: size, scheduling: 'lifo' as const };
  return new URL(baseUrl).protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}
