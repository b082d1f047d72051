import type { ConfigReader } from './config-reader.js';

export interface HttpSettings {
  host: string;
  port: number;
  /** How long a SIGTERM waits for requests and sockets in flight before the process exits. */
  shutdownGraceMs: number;
}

/** HOST (all interfaces), PORT (0: any free port, as tests use) and SHUTDOWN_GRACE_MS. */
export function readHttpSettings(read: ConfigReader, defaults: { port: number }): HttpSettings {
  return {
    host: read.text('HOST', '0.0.0.0'),
    port: read.integer('PORT', defaults.port, 0, 65_535),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
  };
}
