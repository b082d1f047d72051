import { hostname } from 'node:os';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { currentCorrelation } from '../correlation/correlation-context.js';
import { activeTraceIds } from '../tracing/tracing.js';

export interface LoggerSettings {
  serviceName: string;
  level?: Level;
  destination?: DestinationStream;
  /** The fields every line carries; default: the current correlation IDs and, with tracing on, the trace IDs. */
  contextFields?: () => Record<string, unknown>;
}

function correlationFields(): Record<string, unknown> {
  return { ...currentCorrelation(), ...activeTraceIds() };
}

/**
 * A JSON logger whose every line carries the IDs of the current correlation context (request ID,
 * bound domain IDs) and, when tracing is on, the active trace and span IDs.
 */
export function createLogger(settings: LoggerSettings): Logger {
  return pino(
    {
      level: settings.level ?? 'info',
      base: { service: settings.serviceName, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // pino merges log arguments into the mixin's object, so it must be a fresh object every time.
      mixin: settings.contextFields ?? correlationFields,
    },
    // Asynchronous writes keep a slow stdout pipe from stalling request handling; flushed on shutdown.
    settings.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
