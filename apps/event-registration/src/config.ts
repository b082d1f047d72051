import { recommendedPoolSize } from '@remedy/pooling';

/**
 * The one place that reads the environment. `loadConfig()` validates `process.env` once at start-up and
 * fails with every problem listed; `parseConfig(values)` does the same for a plain object, which is how
 * tests and findings build a config for an isolated database and Redis prefix.
 */
export interface AppConfig {
  serviceName: string;
  http: { host: string; port: number; shutdownGraceMs: number };
  database: DatabaseConfig;
  /**
   * `url` serves the cache (may evict); `queueUrl` serves BullMQ and must not evict (`noeviction`), so in
   * production they are separate instances. `queueUrl` defaults to `url` for a single local Redis.
   */
  redis: { url: string; queueUrl: string; keyPrefix: string; queuePrefix: string };
  /** `enabled: false` reads straight from Postgres (benchmarks compare both; an operator's escape hatch). */
  cache: { enabled: boolean; eventListTtlSeconds: number; statsTtlSeconds: number };
  auth: {
    accessTokenSecret: string;
    purposeTokenSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    issuer: string;
    audience: string;
  };
  mail: { sesEndpoint: string | undefined; sesRegion: string; fromAddress: string; requestTimeoutMs: number };
  /**
   * A message published but not acknowledged by its consumer in `redeliveryAfterMs` is published again
   * (the queue Redis lost it). Longer than a queue backlog plus the job's retries; a redelivery of a job
   * still in Redis is dropped by BullMQ's jobId dedupe, so erring short costs only a sweep.
   */
  outbox: { redeliveryAfterMs: number };
  retention: RetentionConfig;
  observability: { logLevel: LogLevel; slowQueryMs: number };
}

export interface DatabaseConfig {
  url: string;
  replicaUrl: string | undefined;
  applicationName: string;
  /** Per-instance pool size: DB_POOL_MAX when set, else the capacity formula (docs/capacity-event-registration.md). */
  poolMax: number;
  /**
   * The request deadline for a connection: callers queue for one in FIFO order (pg-pool's queue) up to this
   * long, then get a 503 with Retry-After. 15 s lets a registration rush (2,000 callers on one event) drain
   * through the pool instead of failing while the database is merely busy.
   */
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  idleTimeoutMs: number;
  /** Migrations and partition maintenance run DDL and archive whole partitions: a longer timeout of their own. */
  maintenanceStatementTimeoutMs: number;
}

export interface RetentionConfig {
  /** Months of events kept in Postgres; older partitions are archived, verified and dropped. */
  hotMonths: number;
  premakeMonths: number;
  cron: string;
  archive: ArchiveConfig;
}

export type ArchiveConfig =
  | { kind: 'filesystem'; directory: string }
  | {
      kind: 's3';
      bucket: string;
      endpoint: string | undefined;
      region: string;
      keyPrefix: string;
      /** Static keys for an emulator; unset in AWS, where the SDK's default chain (IAM role) applies. */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type ConfigValues = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; throws ConfigError listing every bad or missing variable. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

export function parseConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  const config: AppConfig = {
    serviceName: read.text('SERVICE_NAME', 'event-registration'),
    http: {
      host: read.text('HOST', '0.0.0.0'),
      port: read.integer('PORT', 3000, 0, 65_535),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    },
    database: readDatabase(read),
    redis: {
      url: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
      queueUrl: read.url(
        'QUEUE_REDIS_URL',
        read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
        ['redis:', 'rediss:'],
      ),
      keyPrefix: read.text('REDIS_KEY_PREFIX', 'events:'),
      queuePrefix: read.text('QUEUE_PREFIX', 'events-bull'),
    },
    cache: {
      enabled: read.oneOf('CACHE_ENABLED', ['true', 'false'] as const, 'true') === 'true',
      eventListTtlSeconds: read.integer('CACHE_EVENT_LIST_TTL_SECONDS', 60, 1, 86_400),
      statsTtlSeconds: read.integer('CACHE_STATS_TTL_SECONDS', 3_600, 1, 86_400),
    },
    auth: {
      accessTokenSecret: read.secret('JWT_ACCESS_SECRET'),
      purposeTokenSecret: read.secret('QR_TOKEN_SECRET'),
      accessTokenTtlSeconds: read.integer('JWT_ACCESS_TTL_SECONDS', 900, 60, 86_400),
      refreshTokenTtlSeconds: read.integer('JWT_REFRESH_TTL_SECONDS', 7 * 86_400, 3_600, 90 * 86_400),
      issuer: read.text('JWT_ISSUER', 'remedy-event-registration'),
      audience: read.text('JWT_AUDIENCE', 'event-registration'),
    },
    mail: {
      sesEndpoint: read.optionalUrl('SES_ENDPOINT', ['http:', 'https:']),
      sesRegion: read.text('SES_REGION', 'ap-northeast-1'),
      fromAddress: read.text('MAIL_FROM', 'events@example.com'),
      requestTimeoutMs: read.integer('SES_REQUEST_TIMEOUT_MS', 5_000, 100, 60_000),
    },
    outbox: {
      redeliveryAfterMs: read.integer('OUTBOX_REDELIVERY_AFTER_MS', 300_000, 1_000, 86_400_000),
    },
    retention: readRetention(read),
    observability: {
      logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      slowQueryMs: read.integer('SLOW_QUERY_MS', 200, 1, 60_000),
    },
  };
  read.assertValid();
  return config;
}

function readDatabase(read: ConfigReader): DatabaseConfig {
  const formula = () =>
    recommendedPoolSize(
      {
        serverMaxConnections: read.integer('DB_SERVER_MAX_CONNECTIONS', 100, 2, 100_000),
        reservedConnections: read.integer('DB_RESERVED_CONNECTIONS', 10, 0, 10_000),
        instances: read.integer('DB_POOL_INSTANCES', 2, 1, 10_000),
      },
      {
        cores: read.integer('DB_SERVER_CORES', 4, 1, 1_024),
        effectiveSpindles: read.integer('DB_EFFECTIVE_SPINDLES', 1, 0, 64),
      },
    );
  return {
    url: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/events', ['postgres:', 'postgresql:']),
    replicaUrl: read.optionalUrl('DATABASE_REPLICA_URL', ['postgres:', 'postgresql:']),
    applicationName: read.text('DB_APPLICATION_NAME', 'event-registration'),
    poolMax: read.has('DB_POOL_MAX') ? read.integer('DB_POOL_MAX', 1, 1, 1_000) : read.guard(formula, 1),
    connectionTimeoutMs: read.integer('DB_CONNECTION_TIMEOUT_MS', 15_000, 50, 60_000),
    statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
    idleInTransactionTimeoutMs: read.integer('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 100, 600_000),
    idleTimeoutMs: read.integer('DB_IDLE_TIMEOUT_MS', 10_000, 100, 600_000),
    maintenanceStatementTimeoutMs: read.integer(
      'DB_MAINTENANCE_STATEMENT_TIMEOUT_MS',
      600_000,
      1_000,
      86_400_000,
    ),
  };
}

function readRetention(read: ConfigReader): RetentionConfig {
  const kind = read.oneOf('ARCHIVE_KIND', ['filesystem', 's3'] as const, 'filesystem');
  const archive: ArchiveConfig =
    kind === 's3'
      ? {
          kind,
          bucket: read.required('ARCHIVE_S3_BUCKET'),
          endpoint: read.optionalUrl('ARCHIVE_S3_ENDPOINT', ['http:', 'https:']),
          region: read.text('ARCHIVE_S3_REGION', 'ap-northeast-1'),
          keyPrefix: read.text('ARCHIVE_S3_KEY_PREFIX', 'event-registration/'),
          credentials: read.has('ARCHIVE_S3_ACCESS_KEY_ID')
            ? {
                accessKeyId: read.required('ARCHIVE_S3_ACCESS_KEY_ID'),
                secretAccessKey: read.required('ARCHIVE_S3_SECRET_ACCESS_KEY'),
              }
            : undefined,
        }
      : { kind, directory: read.text('ARCHIVE_DIRECTORY', '.data/archive') };
  return {
    hotMonths: read.integer('RETENTION_HOT_MONTHS', 24, 1, 240),
    premakeMonths: read.integer('PARTITION_PREMAKE_MONTHS', 12, 1, 60),
    cron: read.text('PARTITION_MAINTENANCE_CRON', '15 3 * * *'),
    archive,
  };
}

class ConfigReader {
  private readonly problems: string[] = [];

  constructor(private readonly values: ConfigValues) {}

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  text(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  required(name: string): string {
    const value = this.raw(name);
    if (value === undefined) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  /** Signing keys: required, and long enough that HMAC-SHA256 is not brute-forceable. */
  secret(name: string): string {
    const value = this.required(name);
    if (value !== '' && value.length < 32) this.problems.push(`${name} must be at least 32 characters`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    return this.optionalUrl(name, protocols) ?? fallback;
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    try {
      if (protocols.includes(new URL(raw).protocol)) return raw;
    } catch {
      // reported below, with the expected form
    }
    this.problems.push(`${name} must be a ${protocols.join(' or ')}// URL`);
    return undefined;
  }

  /** Runs a derived computation (e.g. the pool formula) and reports its error as a config problem. */
  guard<T>(compute: () => T, fallback: T): T {
    try {
      return compute();
    } catch (error) {
      this.problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  }

  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private raw(name: string): string | undefined {
    const value = this.values[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }
}
