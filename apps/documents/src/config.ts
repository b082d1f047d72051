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
   * Redis split by use: `url` serves caches and may evict (allkeys-lru in production); `queueUrl` serves BullMQ
   * and login lockouts, which must not vanish under memory pressure (`noeviction`).
   * `queueUrl` defaults to `url` for a single local Redis.
   */
  redis: { url: string; queueUrl: string; keyPrefix: string; queuePrefix: string };
  /** Short access tokens and one-time refresh tokens (@remedy/auth). */
  auth: {
    accessTokenSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    issuer: string;
    audience: string;
  };
  observability: { logLevel: LogLevel; slowQueryMs: number };
  /** The search indexer worker (polyglot-b:M-3). */
  search: {
    /** Changes one worker process applies at once. */
    indexerConcurrency: number;
    /**
     * How long a job stays claimed without a heartbeat: after a worker dies (kill -9, OOM) its jobs in flight
     * go back to the queue this long after its last heartbeat, and another worker applies them.
     */
    jobLockMs: number;
  };
  collaboration: CollaborationConfig;
}

/** WebSocket /collab (polyglot-b:S-2): admission, the send path and the persistence of one instance. */
export interface CollaborationConfig {
  maxConnections: number;
  authTimeoutMs: number;
  sendHighWaterBytes: number;
  maxPendingMessages: number;
  /** The largest sync message a client may send (bytes, decoded): a paste, not a whole-document upload. */
  maxUpdateBytes: number;
  /** Appended updates folded into the document's snapshot once this many have accumulated. */
  snapshotEvery: number;
  /** When co-edited text is saved as the document's search body: after a pause in the edits, at most this late. */
  textSave: { debounceMs: number; maxWaitMs: number };
}

export interface DatabaseConfig {
  url: string;
  applicationName: string;
  /** Per-instance pool size: DB_POOL_MAX when set, else the capacity formula of @remedy/pooling. */
  poolMax: number;
  /** How long a request waits for a pooled connection before a 503 with Retry-After. */
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  idleTimeoutMs: number;
  /** Migrations run DDL over whole tables: a longer timeout of their own. */
  maintenanceStatementTimeoutMs: number;
}

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
  const redisUrl = read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
  const config: AppConfig = {
    serviceName: read.text('SERVICE_NAME', 'documents'),
    http: {
      host: read.text('HOST', '0.0.0.0'),
      port: read.integer('PORT', 3004, 0, 65_535),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    },
    database: readDatabase(read),
    redis: {
      url: redisUrl,
      queueUrl: read.url('QUEUE_REDIS_URL', redisUrl, ['redis:', 'rediss:']),
      keyPrefix: read.text('REDIS_KEY_PREFIX', 'documents:'),
      queuePrefix: read.text('QUEUE_PREFIX', 'documents-bull'),
    },
    auth: {
      accessTokenSecret: read.secret('JWT_ACCESS_SECRET'),
      accessTokenTtlSeconds: read.integer('JWT_ACCESS_TTL_SECONDS', 3_600, 60, 86_400),
      refreshTokenTtlSeconds: read.integer('JWT_REFRESH_TTL_SECONDS', 7 * 86_400, 3_600, 90 * 86_400),
      issuer: read.text('JWT_ISSUER', 'remedy-documents'),
      audience: read.text('JWT_AUDIENCE', 'documents'),
    },
    observability: {
      logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      slowQueryMs: read.integer('SLOW_QUERY_MS', 200, 1, 60_000),
    },
    search: {
      indexerConcurrency: read.integer('SEARCH_INDEXER_CONCURRENCY', 4, 1, 64),
      jobLockMs: read.integer('SEARCH_JOB_LOCK_MS', 30_000, 500, 600_000),
    },
    collaboration: {
      maxConnections: read.integer('COLLAB_MAX_CONNECTIONS', 5_000, 1, 100_000),
      authTimeoutMs: read.integer('COLLAB_AUTH_TIMEOUT_MS', 5_000, 100, 60_000),
      sendHighWaterBytes: read.integer('COLLAB_SEND_HIGH_WATER_BYTES', 1024 * 1024, 1_024, 64 * 1024 * 1024),
      maxPendingMessages: read.integer('COLLAB_MAX_PENDING_MESSAGES', 1_024, 1, 100_000),
      maxUpdateBytes: read.integer('COLLAB_MAX_UPDATE_BYTES', 256 * 1024, 1_024, 8 * 1024 * 1024),
      snapshotEvery: read.integer('COLLAB_SNAPSHOT_EVERY', 500, 1, 1_000_000),
      textSave: {
        debounceMs: read.integer('COLLAB_TEXT_SAVE_DEBOUNCE_MS', 2_000, 10, 60_000),
        maxWaitMs: read.integer('COLLAB_TEXT_SAVE_MAX_WAIT_MS', 10_000, 10, 600_000),
      },
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
    url: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/documents', [
      'postgres:',
      'postgresql:',
    ]),
    applicationName: read.text('DB_APPLICATION_NAME', 'documents'),
    poolMax: read.has('DB_POOL_MAX') ? read.integer('DB_POOL_MAX', 1, 1, 1_000) : read.guard(formula, 1),
    connectionTimeoutMs: read.integer('DB_CONNECTION_TIMEOUT_MS', 5_000, 50, 60_000),
    statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 3_000, 100, 600_000),
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
