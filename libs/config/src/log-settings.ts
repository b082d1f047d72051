import type { ConfigReader } from './config-reader.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogSettings {
  logLevel: LogLevel;
  /** Statements slower than this are logged with their duration. */
  slowQueryMs: number;
}

export function readLogSettings(read: ConfigReader): LogSettings {
  return {
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    slowQueryMs: read.integer('SLOW_QUERY_MS', 200, 1, 60_000),
  };
}
