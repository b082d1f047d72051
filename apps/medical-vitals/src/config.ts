import {
  ConfigError,
  ConfigReader,
  HTTP_PROTOCOLS,
  LOG_LEVELS,
  POSTGRES_PROTOCOLS,
  readHttpSettings,
  readPoolSize,
  REDIS_PROTOCOLS,
  type ConfigValues,
  type LogLevel,
} from '@remedy/config';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

export { ConfigError, type ConfigValues } from '@remedy/config';

/**
 * Missed reports before the ward page calls a patient stale. Ten, not one or two: a device that is throttled
 * (it waits out a retry-after) or that reconnects after a network blip or an API restart (reconnect backoff of
 * a few seconds) misses a handful of reports without anything being wrong at the bedside, and a page that
 * flickers "stale" trains nurses to ignore it. Ten intervals (10 s at 1 Hz) still tells a nurse within seconds
 * that the numbers on screen are no longer current, long before the 26 silent minutes the review found.
 */
export const STALE_AFTER_MISSED_REPORTS = 10;

export interface AppConfig {
  host: string;
  port: number;
  /** API processes sharing the port (main.ts forks them with node:cluster when more than one). */
  workers: number;
  /** The primary replaces at most `limit` workers that died within `windowSeconds`; one more and it exits 1. */
  workerRestarts: { limit: number; windowSeconds: number };
  databaseUrl: string;
  replicaUrl: string | undefined;
  redisUrl: string;
  /** Ends with ':' unless empty; every Redis key and stream of the app starts with it. */
  redisKeyPrefix: string;
  database: {
    poolMax: number;
    /**
     * Connections the primary pool opens at start and keeps when idle: all of them. The pool is small (poolMax,
     * a few per process) and the ingest path is never quiet for long; a pool that gave its connections back
     * during a lull had to open them again as the load came back, on a busy host slower than
     * DB_CONNECTION_TIMEOUT_MS, and each connection that timed out failed a whole batch (store_failed, resent).
     */
    poolMin: number;
    connectionTimeoutMillis: number;
    statementTimeoutMs: number;
    idleInTransactionSessionTimeoutMs: number;
  };
  writer: {
    batchRows: number;
    flushIntervalMs: number;
    bufferMaxRows: number;
    maxConcurrentFlushes: number;
    streamMaxLen: number;
    latestTtlSeconds: number;
  };
  ingest: {
    ratePerSecond: number;
    rateBurst: number;
    rateLease: number;
    maxFutureSkewMs: number;
    maxReadingsPerMessage: number;
    authTimeoutMs: number;
    deviceCacheTtlMs: number;
    reportIntervalSeconds: number;
  };
  alerts: {
    evaluatorEnabled: boolean;
    blockMs: number;
    reclaimIdleMs: number;
  };
  notifications: {
    url: string | undefined;
    timeoutMs: number;
    breakerErrorPercent: number;
    breakerVolume: number;
    breakerResetMs: number;
  };
  lifecycle: {
    hotRetentionDays: number;
    premakeDays: number;
    purgeAfterYears: number;
    archiveBucket: string | undefined;
    archiveEndpoint: string | undefined;
    archiveRegion: string;
    archiveCredentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    maintenanceCron: string;
  };
  tracing: {
    enabled: boolean;
    exporter: 'otlp' | 'console' | 'memory';
    otlpUrl: string | undefined;
    sampleRatio: number;
  };
  logLevel: LogLevel;
  shutdownGraceMs: number;
  staffAuth: {
    /** Signs staff access tokens; when unset each process draws a random one (single-instance demo only). */
    tokenSecret: string | undefined;
    accessTokenTtlSeconds: number;
  };
  dashboards: {
    /** Signs dashboard tokens; when unset each process draws a random one (single-instance demo only). */
    tokenSecret: string | undefined;
    tokenTtlSeconds: number;
    liveMaxConnections: number;
    liveSendHighWaterBytes: number;
    liveMaxPendingMessages: number;
    liveMaxRoomsPerSocket: number;
    reportPoolMax: number;
    reportStatementTimeoutMs: number;
    /** A patient whose newest reading is older than this is shown stale on the ward page. */
    staleAfterSeconds: number;
  };
}

/**
 * Reads a plain object of environment strings (process.env, or a test's own) into the typed config; throws one
 * ConfigError listing every bad or missing variable.
 */
export function buildConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  const http = readHttpSettings(read, { port: 3001 });
  const workers = readIngestWorkers(read);
  const databaseUrl = read.requiredUrl('DATABASE_URL', POSTGRES_PROTOCOLS);
  // Pool sizing (docs/capacity-medical-vitals.md): each worker process has its own pool, so the budget is
  // shared by every process of every instance.
  const poolMax = readPoolSize(read, {
    instancesVariable: 'DB_INSTANCES',
    defaults: { instances: 1, serverCores: 2 },
    poolsPerInstance: workers,
  });
  const prefix = read.text('REDIS_KEY_PREFIX', '');
  const rateBurst = read.integer('DEVICE_RATE_BURST', 30, 1, 100_000);
  const reportIntervalSeconds = read.integer('DEVICE_REPORT_INTERVAL_SECONDS', 1, 1, 3_600);
  const accessKeyId = read.optionalText('ARCHIVE_S3_ACCESS_KEY_ID');
  const secretAccessKey = read.optionalText('ARCHIVE_S3_SECRET_ACCESS_KEY');
  const config: AppConfig = {
    host: http.host,
    port: http.port,
    workers,
    // A worker that dies is replaced, but one that cannot start (a port taken, a bad secret) dies again at once:
    // past this many deaths within the window the primary stops and exits 1, for the supervisor to see.
    workerRestarts: {
      limit: read.integer('INGEST_WORKER_RESTART_LIMIT', 5, 0, 1_000),
      windowSeconds: read.integer('INGEST_WORKER_RESTART_WINDOW_SECONDS', 60, 1, 86_400),
    },
    databaseUrl,
    replicaUrl: read.optionalUrl('DATABASE_REPLICA_URL', POSTGRES_PROTOCOLS),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', REDIS_PROTOCOLS),
    redisKeyPrefix: prefix === '' || prefix.endsWith(':') ? prefix : `${prefix}:`,
    database: {
      poolMax,
      poolMin: poolMax,
      connectionTimeoutMillis: read.integer('DB_CONNECTION_TIMEOUT_MS', 2_000, 100, 60_000),
      statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
      idleInTransactionSessionTimeoutMs: read.integer(
        'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
        10_000,
        100,
        600_000,
      ),
    },
    writer: {
      batchRows: read.integer('WRITE_BATCH_ROWS', 1_000, 1, 50_000),
      flushIntervalMs: read.integer('WRITE_FLUSH_INTERVAL_MS', 50, 1, 100),
      bufferMaxRows: read.integer('WRITE_BUFFER_MAX_ROWS', 20_000, 1, 10_000_000),
      maxConcurrentFlushes: read.integer('WRITE_MAX_CONCURRENT_FLUSHES', 2, 1, 16),
      streamMaxLen: read.integer('STREAM_MAX_LEN', 100_000, 1_000, 100_000_000),
      latestTtlSeconds: read.integer('LATEST_VITALS_TTL_SECONDS', 3_600, 1, 30 * 86_400),
    },
    ingest: {
      ratePerSecond: read.decimal('DEVICE_RATE_PER_SECOND', 10, 0.1, 100_000),
      rateBurst,
      // Tokens a device socket takes from its bucket per Redis round trip (at most the burst), spent locally.
      rateLease: Math.min(read.integer('DEVICE_RATE_LEASE', 10, 1, 100_000), rateBurst),
      maxFutureSkewMs: read.integer('MAX_FUTURE_SKEW_MS', 60_000, 0, 86_400_000),
      maxReadingsPerMessage: read.integer('MAX_READINGS_PER_MESSAGE', 500, 1, 100_000),
      authTimeoutMs: read.integer('AUTH_TIMEOUT_MS', 5_000, 100, 600_000),
      deviceCacheTtlMs: read.integer('DEVICE_CACHE_TTL_MS', 60_000, 0, 86_400_000),
      // How often a bedside device sends a reading (the bench and test devices: 1 Hz).
      reportIntervalSeconds,
    },
    alerts: {
      evaluatorEnabled: read.boolean('ALERT_EVALUATOR_ENABLED', true),
      blockMs: read.integer('ALERT_BLOCK_MS', 1_000, 10, 600_000),
      reclaimIdleMs: read.integer('ALERT_RECLAIM_IDLE_MS', 30_000, 1_000, 86_400_000),
    },
    notifications: {
      url: read.optionalUrl('NOTIFY_URL', HTTP_PROTOCOLS),
      timeoutMs: read.integer('NOTIFY_TIMEOUT_MS', 1_000, 10, 600_000),
      breakerErrorPercent: read.integer('NOTIFY_BREAKER_ERROR_PERCENT', 50, 1, 100),
      breakerVolume: read.integer('NOTIFY_BREAKER_VOLUME', 5, 1, 100_000),
      breakerResetMs: read.integer('NOTIFY_BREAKER_RESET_MS', 10_000, 100, 86_400_000),
    },
    lifecycle: {
      hotRetentionDays: read.integer('HOT_RETENTION_DAYS', 90, 1, 36_500),
      premakeDays: read.integer('PARTITION_PREMAKE_DAYS', 7, 1, 366),
      purgeAfterYears: read.integer('ARCHIVE_PURGE_YEARS', 7, 1, 1_000),
      archiveBucket: read.optionalText('ARCHIVE_S3_BUCKET'),
      archiveEndpoint: read.optionalUrl('ARCHIVE_S3_ENDPOINT', HTTP_PROTOCOLS),
      archiveRegion: read.text('ARCHIVE_S3_REGION', 'eu-west-1'),
      // Unset in production (the SDK's default chain: IAM role); set for an emulator.
      archiveCredentials:
        accessKeyId === undefined || secretAccessKey === undefined
          ? undefined
          : { accessKeyId, secretAccessKey },
      maintenanceCron: read.text('PARTITION_MAINTENANCE_CRON', '0 * * * *'),
    },
    tracing: {
      enabled: read.boolean('TRACING_ENABLED', false),
      exporter: read.oneOf('TRACING_EXPORTER', ['otlp', 'console', 'memory'] as const, 'otlp'),
      otlpUrl: read.optionalUrl('OTLP_URL', HTTP_PROTOCOLS),
      sampleRatio: read.ratio('TRACE_SAMPLE_RATIO', 0.01),
    },
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownGraceMs: http.shutdownGraceMs,
    // Staff sessions (README "Staff access"); unset draws a random secret per process (single instance only).
    staffAuth: {
      tokenSecret: read.optionalSecret('STAFF_TOKEN_SECRET'),
      accessTokenTtlSeconds: read.integer('STAFF_ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3_600),
    },
    // Read path (dashboards, /live, reports): see the app README.
    dashboards: {
      tokenSecret: read.optionalSecret('DASHBOARD_TOKEN_SECRET', 16),
      tokenTtlSeconds: read.integer('DASHBOARD_TOKEN_TTL_SECONDS', 43_200, 60, 7 * 86_400),
      liveMaxConnections: read.integer('LIVE_MAX_CONNECTIONS', 5_000, 1, 1_000_000),
      liveSendHighWaterBytes: read.integer('LIVE_SEND_HIGH_WATER_BYTES', 262_144, 1_024, 64 * 1024 * 1024),
      liveMaxPendingMessages: read.integer('LIVE_MAX_PENDING_MESSAGES', 1_000, 1, 1_000_000),
      liveMaxRoomsPerSocket: read.integer('LIVE_MAX_ROOMS_PER_SOCKET', 50, 1, 200),
      reportPoolMax: read.integer('REPORT_POOL_MAX', 2, 1, 16),
      reportStatementTimeoutMs: read.integer('REPORT_STATEMENT_TIMEOUT_MS', 300_000, 1_000, 86_400_000),
      staleAfterSeconds: reportIntervalSeconds * STALE_AFTER_MISSED_REPORTS,
    },
  };
  read.assertValid();
  return config;
}

/** API processes on the port (node:cluster): a number, or `auto` for one per available core. */
function readIngestWorkers(read: ConfigReader): number {
  if (read.text('INGEST_WORKERS', '1') === 'auto') return availableParallelism();
  return read.integer('INGEST_WORKERS', 1, 1, 99);
}

/**
 * What every worker of a cluster must share that a single process may draw for itself: a token signed by one
 * worker is checked by whichever worker the next connection lands on. Unset secrets get one random value
 * for the whole cluster.
 */
export function sharedClusterEnvironment(config: AppConfig): ConfigValues {
  const drawn = (): string => randomBytes(32).toString('hex');
  return {
    ...(config.staffAuth.tokenSecret === undefined ? { STAFF_TOKEN_SECRET: drawn() } : {}),
    ...(config.dashboards.tokenSecret === undefined ? { DASHBOARD_TOKEN_SECRET: drawn() } : {}),
  };
}

/** The process environment, validated once at start-up. */
export function loadConfig(): AppConfig {
  return buildConfig(process.env);
}

/** For the entry points: a bad environment ends the process with the list of problems, not a stack trace. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');
