import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { recommendedPoolSize } from '@remedy/pooling';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

export type ConfigSource = Record<string, string | undefined>;

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** The environment as strings; every variable the service reads is declared here and nowhere else. */
class EnvironmentVariables {
  @IsOptional() @IsString() HOST = '0.0.0.0';
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT = 3001;
  /** API processes on the port (node:cluster): a number, or `auto` for one per available core. */
  @Matches(/^(auto|[1-9][0-9]?)$/, { message: 'INGEST_WORKERS must be "auto" or 1–99' }) INGEST_WORKERS = '1';
  // A worker that dies is replaced, but one that cannot start (a port taken, a bad secret) dies again at once:
  // past this many deaths within the window the primary stops and exits 1, for the supervisor to see.
  @Type(() => Number) @IsInt() @Min(0) INGEST_WORKER_RESTART_LIMIT = 5;
  @Type(() => Number) @IsInt() @Min(1) INGEST_WORKER_RESTART_WINDOW_SECONDS = 60;
  @IsString() DATABASE_URL!: string;
  @IsOptional() @IsString() DATABASE_REPLICA_URL?: string;
  @IsOptional() @IsString() REDIS_URL = 'redis://127.0.0.1:6379';
  @IsOptional() @IsString() REDIS_KEY_PREFIX = '';

  // Pool sizing inputs (docs/capacity-medical-vitals.md): the per-instance max comes from the formula.
  @Type(() => Number) @IsInt() @Min(1) DB_SERVER_MAX_CONNECTIONS = 100;
  @Type(() => Number) @IsInt() @Min(0) DB_RESERVED_CONNECTIONS = 10;
  @Type(() => Number) @IsInt() @Min(1) DB_INSTANCES = 1;
  @Type(() => Number) @IsInt() @Min(1) DB_SERVER_CORES = 2;
  @Type(() => Number) @IsInt() @Min(0) DB_EFFECTIVE_SPINDLES = 1;
  @Type(() => Number) @IsInt() @Min(100) DB_CONNECTION_TIMEOUT_MS = 2_000;
  @Type(() => Number) @IsInt() @Min(100) DB_STATEMENT_TIMEOUT_MS = 5_000;
  @Type(() => Number) @IsInt() @Min(100) DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

  @Type(() => Number) @IsInt() @Min(1) @Max(50_000) WRITE_BATCH_ROWS = 1_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(100) WRITE_FLUSH_INTERVAL_MS = 50;
  @Type(() => Number) @IsInt() @Min(1) WRITE_BUFFER_MAX_ROWS = 20_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(16) WRITE_MAX_CONCURRENT_FLUSHES = 2;
  @Type(() => Number) @IsInt() @Min(1_000) STREAM_MAX_LEN = 100_000;
  @Type(() => Number) @IsInt() @Min(1) LATEST_VITALS_TTL_SECONDS = 3_600;

  @Type(() => Number) @IsNumber() @Min(0.1) DEVICE_RATE_PER_SECOND = 10;
  @Type(() => Number) @IsInt() @Min(1) DEVICE_RATE_BURST = 30;
  // Tokens a device socket takes from its bucket per Redis round trip (at most the burst), spent locally.
  @Type(() => Number) @IsInt() @Min(1) DEVICE_RATE_LEASE = 10;
  @Type(() => Number) @IsInt() @Min(0) MAX_FUTURE_SKEW_MS = 60_000;
  @Type(() => Number) @IsInt() @Min(1) MAX_READINGS_PER_MESSAGE = 500;
  @Type(() => Number) @IsInt() @Min(100) AUTH_TIMEOUT_MS = 5_000;
  @Type(() => Number) @IsInt() @Min(0) DEVICE_CACHE_TTL_MS = 60_000;
  // How often a bedside device sends a reading (the bench and test devices: 1 Hz). The ward page calls a
  // patient stale after STALE_AFTER_MISSED_REPORTS of these in a row (see staleAfterSeconds below).
  @Type(() => Number) @IsInt() @Min(1) @Max(3_600) DEVICE_REPORT_INTERVAL_SECONDS = 1;

  @Transform(toBoolean) @IsBoolean() ALERT_EVALUATOR_ENABLED = true;
  @Type(() => Number) @IsInt() @Min(10) ALERT_BLOCK_MS = 1_000;
  @Type(() => Number) @IsInt() @Min(1_000) ALERT_RECLAIM_IDLE_MS = 30_000;
  @IsOptional() @IsUrl({ require_tld: false }) NOTIFY_URL?: string;
  @Type(() => Number) @IsInt() @Min(10) NOTIFY_TIMEOUT_MS = 1_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(100) NOTIFY_BREAKER_ERROR_PERCENT = 50;
  @Type(() => Number) @IsInt() @Min(1) NOTIFY_BREAKER_VOLUME = 5;
  @Type(() => Number) @IsInt() @Min(100) NOTIFY_BREAKER_RESET_MS = 10_000;

  @Type(() => Number) @IsInt() @Min(1) HOT_RETENTION_DAYS = 90;
  @Type(() => Number) @IsInt() @Min(1) @Max(366) PARTITION_PREMAKE_DAYS = 7;
  @Type(() => Number) @IsInt() @Min(1) ARCHIVE_PURGE_YEARS = 7;
  @IsOptional() @IsString() ARCHIVE_S3_BUCKET?: string;
  @IsOptional() @IsString() ARCHIVE_S3_ENDPOINT?: string;
  @IsOptional() @IsString() ARCHIVE_S3_REGION = 'eu-west-1';
  // Unset in production (the SDK's default chain: IAM role); set for an emulator.
  @IsOptional() @IsString() ARCHIVE_S3_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() ARCHIVE_S3_SECRET_ACCESS_KEY?: string;
  @IsOptional() @IsString() PARTITION_MAINTENANCE_CRON = '0 * * * *';

  @Transform(toBoolean) @IsBoolean() TRACING_ENABLED = false;
  @IsIn(['otlp', 'console', 'memory']) TRACING_EXPORTER: 'otlp' | 'console' | 'memory' = 'otlp';
  @IsOptional() @IsString() OTLP_URL?: string;
  @Type(() => Number) @IsNumber() @Min(0) @Max(1) TRACE_SAMPLE_RATIO = 0.01;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace']) LOG_LEVEL:
    'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' = 'info';
  @Type(() => Number) @IsInt() @Min(0) SHUTDOWN_GRACE_MS = 10_000;

  // Staff sessions (README "Staff access"); unset draws a random secret per process (single instance only).
  @IsOptional() @IsString() @MinLength(32) STAFF_TOKEN_SECRET?: string;
  @Type(() => Number) @IsInt() @Min(60) @Max(3_600) STAFF_ACCESS_TOKEN_TTL_SECONDS = 900;

  // Read path (dashboards, /live, reports): see the app README.
  @IsOptional() @IsString() @MinLength(16) DASHBOARD_TOKEN_SECRET?: string;
  @Type(() => Number) @IsInt() @Min(60) DASHBOARD_TOKEN_TTL_SECONDS = 43_200;
  @Type(() => Number) @IsInt() @Min(1) LIVE_MAX_CONNECTIONS = 5_000;
  @Type(() => Number) @IsInt() @Min(1_024) LIVE_SEND_HIGH_WATER_BYTES = 262_144;
  @Type(() => Number) @IsInt() @Min(1) LIVE_MAX_PENDING_MESSAGES = 1_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(200) LIVE_MAX_ROOMS_PER_SOCKET = 50;
  @Type(() => Number) @IsInt() @Min(1) @Max(16) REPORT_POOL_MAX = 2;
  @Type(() => Number) @IsInt() @Min(1_000) REPORT_STATEMENT_TIMEOUT_MS = 300_000;
}

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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
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

export class ConfigError extends Error {}

function describe(errors: ValidationError[]): string {
  return errors
    .map((error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`)
    .join('\n');
}

/** Validates a plain object of environment strings (process.env, or a test's own) into the typed config. */
export function buildConfig(source: ConfigSource): AppConfig {
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined));
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigError(`invalid configuration:\n${describe(errors)}`);
  const prefix = env.REDIS_KEY_PREFIX;
  const workers = env.INGEST_WORKERS === 'auto' ? availableParallelism() : Number(env.INGEST_WORKERS);
  const poolMax = recommendedPoolSize(
    {
      serverMaxConnections: env.DB_SERVER_MAX_CONNECTIONS,
      reservedConnections: env.DB_RESERVED_CONNECTIONS,
      // Each worker process has its own pool: the budget is shared by every process of every instance.
      instances: env.DB_INSTANCES * workers,
    },
    { cores: env.DB_SERVER_CORES, effectiveSpindles: env.DB_EFFECTIVE_SPINDLES },
  );
  return {
    host: env.HOST,
    port: env.PORT,
    workers,
    workerRestarts: {
      limit: env.INGEST_WORKER_RESTART_LIMIT,
      windowSeconds: env.INGEST_WORKER_RESTART_WINDOW_SECONDS,
    },
    databaseUrl: env.DATABASE_URL,
    replicaUrl: env.DATABASE_REPLICA_URL,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: prefix === '' || prefix.endsWith(':') ? prefix : `${prefix}:`,
    database: {
      poolMax,
      poolMin: poolMax,
      connectionTimeoutMillis: env.DB_CONNECTION_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionSessionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    writer: {
      batchRows: env.WRITE_BATCH_ROWS,
      flushIntervalMs: env.WRITE_FLUSH_INTERVAL_MS,
      bufferMaxRows: env.WRITE_BUFFER_MAX_ROWS,
      maxConcurrentFlushes: env.WRITE_MAX_CONCURRENT_FLUSHES,
      streamMaxLen: env.STREAM_MAX_LEN,
      latestTtlSeconds: env.LATEST_VITALS_TTL_SECONDS,
    },
    ingest: {
      ratePerSecond: env.DEVICE_RATE_PER_SECOND,
      rateBurst: env.DEVICE_RATE_BURST,
      rateLease: Math.min(env.DEVICE_RATE_LEASE, env.DEVICE_RATE_BURST),
      maxFutureSkewMs: env.MAX_FUTURE_SKEW_MS,
      maxReadingsPerMessage: env.MAX_READINGS_PER_MESSAGE,
      authTimeoutMs: env.AUTH_TIMEOUT_MS,
      deviceCacheTtlMs: env.DEVICE_CACHE_TTL_MS,
      reportIntervalSeconds: env.DEVICE_REPORT_INTERVAL_SECONDS,
    },
    alerts: {
      evaluatorEnabled: env.ALERT_EVALUATOR_ENABLED,
      blockMs: env.ALERT_BLOCK_MS,
      reclaimIdleMs: env.ALERT_RECLAIM_IDLE_MS,
    },
    notifications: {
      url: env.NOTIFY_URL,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
      breakerErrorPercent: env.NOTIFY_BREAKER_ERROR_PERCENT,
      breakerVolume: env.NOTIFY_BREAKER_VOLUME,
      breakerResetMs: env.NOTIFY_BREAKER_RESET_MS,
    },
    lifecycle: {
      hotRetentionDays: env.HOT_RETENTION_DAYS,
      premakeDays: env.PARTITION_PREMAKE_DAYS,
      purgeAfterYears: env.ARCHIVE_PURGE_YEARS,
      archiveBucket: env.ARCHIVE_S3_BUCKET,
      archiveEndpoint: env.ARCHIVE_S3_ENDPOINT,
      archiveRegion: env.ARCHIVE_S3_REGION,
      archiveCredentials:
        env.ARCHIVE_S3_ACCESS_KEY_ID === undefined || env.ARCHIVE_S3_SECRET_ACCESS_KEY === undefined
          ? undefined
          : { accessKeyId: env.ARCHIVE_S3_ACCESS_KEY_ID, secretAccessKey: env.ARCHIVE_S3_SECRET_ACCESS_KEY },
      maintenanceCron: env.PARTITION_MAINTENANCE_CRON,
    },
    tracing: {
      enabled: env.TRACING_ENABLED,
      exporter: env.TRACING_EXPORTER,
      otlpUrl: env.OTLP_URL,
      sampleRatio: env.TRACE_SAMPLE_RATIO,
    },
    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    staffAuth: {
      tokenSecret: env.STAFF_TOKEN_SECRET,
      accessTokenTtlSeconds: env.STAFF_ACCESS_TOKEN_TTL_SECONDS,
    },
    dashboards: {
      tokenSecret: env.DASHBOARD_TOKEN_SECRET,
      tokenTtlSeconds: env.DASHBOARD_TOKEN_TTL_SECONDS,
      liveMaxConnections: env.LIVE_MAX_CONNECTIONS,
      liveSendHighWaterBytes: env.LIVE_SEND_HIGH_WATER_BYTES,
      liveMaxPendingMessages: env.LIVE_MAX_PENDING_MESSAGES,
      liveMaxRoomsPerSocket: env.LIVE_MAX_ROOMS_PER_SOCKET,
      reportPoolMax: env.REPORT_POOL_MAX,
      reportStatementTimeoutMs: env.REPORT_STATEMENT_TIMEOUT_MS,
      staleAfterSeconds: env.DEVICE_REPORT_INTERVAL_SECONDS * STALE_AFTER_MISSED_REPORTS,
    },
  };
}

/**
 * What every worker of a cluster must share that a single process may draw for itself: a token signed by one
 * worker is checked by whichever worker the next connection lands on. Unset secrets get one random value
 * for the whole cluster.
 */
export function sharedClusterEnvironment(config: AppConfig): ConfigSource {
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
