import { tmpdir } from 'node:os';
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
   * Redis split by use (livestream:S2): `url` serves the cache and may evict (allkeys-lru in production);
   * `queueUrl` serves BullMQ and login lockouts and must not evict (`noeviction`). `queueUrl` defaults to
   * `url` for a single local Redis.
   */
  redis: { url: string; queueUrl: string; keyPrefix: string; queuePrefix: string };
  /** How long a cached profile may live without an update (livestream:M4); an update deletes it at once. */
  cache: { profileTtlSeconds: number; liveListTtlSeconds: number };
  /** livestream:M1: requests per member per window, counted in the queue Redis across every instance. */
  rateLimit: { requests: number; windowSeconds: number };
  /** livestream:M2: 1 h access tokens, 7 day one-time refresh tokens. */
  auth: {
    accessTokenSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    issuer: string;
    audience: string;
  };
  observability: { logLevel: LogLevel; slowQueryMs: number };
  payments: PaymentsConfig;
  chat: ChatConfig;
  viewers: ViewersConfig;
  archives: ArchivesConfig;
  notifications: NotificationsConfig;
  push: PushConfig;
}

/**
 * Go-live notices (livestream:C1): going live writes one outbox row; the worker's relay turns it into a
 * fan-out job, which pages the followers and enqueues one batch job per `batchSize` of them. A batch stores
 * its notification rows in one statement and pushes them (WebSocket, mobile). Failed jobs retry `attempts`
 * times with exponential backoff from `retryDelayMs`.
 */
export interface NotificationsConfig {
  batchSize: number;
  /** Batch jobs one worker runs at once (each holds one pooled connection while it writes). */
  batchConcurrency: number;
  attempts: number;
  retryDelayMs: number;
  /** How often the relay looks for outbox rows it was not woken for (NOTIFY wakes it at once). */
  relayPollMs: number;
  /** A published fan-out not acknowledged in this long is published again (the queue Redis lost it). */
  redeliveryAfterMs: number;
}

/**
 * The mobile push provider (OneSignal-like HTTP API). Without `apiUrl` no mobile push is sent; notices are
 * still stored and pushed over WebSocket. A 429 is waited out (its Retry-After, at most `maxRetryAfterMs`)
 * by every batch of the worker, not only the one that met it.
 */
export interface PushConfig {
  apiUrl: string | undefined;
  apiKey: string;
  timeoutMs: number;
  /** Calls per batch, the first included, when the provider answers 429. */
  attempts: number;
  maxRetryAfterMs: number;
}

/**
 * Archives (livestream:S5): the media server leaves each stream's recording at `recordings/<stream id>.mp4` in
 * the bucket; the worker transcodes it into an HLS ladder under `archives/<stream id>/` (the prefix the
 * lifecycle rules of infra/s3 tier, livestream:I2). `endpoint` is set for an emulator (path-style requests).
 */
export interface ArchivesConfig {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** ffmpeg processes one worker runs at once (BullMQ concurrency): about one per core the pod requests. */
  transcodeConcurrency: number;
  /** Runs per recording, the first included; then the archive is `failed` and the job kept for inspection. */
  transcodeAttempts: number;
  /** The first retry's delay; each further retry waits twice as long. */
  transcodeBackoffMs: number;
  ffmpegPath: string;
  /** `nice` level of ffmpeg, so a transcode yields the CPU to the worker's own event loop and probes. */
  ffmpegNice: number;
  /** Threads per ffmpeg (the review's `-threads 2`). */
  ffmpegThreads: number;
  /** Scratch space for one recording and its renditions (an emptyDir in Kubernetes). */
  workDir: string;
}

/** WebSocket /chat (livestream:S1): admission, the send path, the per-user rate limit and recent history. */
export interface ChatConfig {
  /** Sockets one instance serves; past it a socket is closed with 1013 (memory ≈ 10 KB per socket). */
  maxConnections: number;
  authTimeoutMs: number;
  /** Bytes a socket may leave unsent before messages queue; past `maxPendingMessages` queued, it is closed. */
  sendHighWaterBytes: number;
  maxPendingMessages: number;
  /** Chat messages a user may send per window, across all instances (a Redis counter per user and window). */
  messagesPerWindow: number;
  rateWindowSeconds: number;
  /** Recent messages per stream kept in a capped Redis list (sent on join) and how long the list lives. */
  historyLength: number;
  historyTtlSeconds: number;
  maxMessageLength: number;
  /**
   * Room messages arriving within this window leave as one `batch` frame per socket (0: a frame each): in a room
   * of thousands the cost is per frame and socket, and at 20 messages/s 100 ms sends about a third of the frames.
   */
  frameWindowMs: number;
  /** Rooms with fewer sockets than this on an instance skip the window: their frames are cheap, the wait is not. */
  frameWindowMinSockets: number;
}

/**
 * Viewer counts (livestream:S4): a viewer counts while its heartbeats arrive. Heartbeats go into a
 * HyperLogLog per stream per bucket of `bucketSeconds`; the count is the union of the current and the previous
 * bucket, so a closed tab stops counting within 2 buckets. Each instance batches heartbeats for
 * `flushIntervalMs` into one PFADD per stream and bucket.
 */
export interface ViewersConfig {
  bucketSeconds: number;
  flushIntervalMs: number;
}

/**
 * The payment provider behind tips (livestream:M3): every call has a timeout, is retried only because each
 * carries an idempotency key, and runs behind a circuit breaker. Without `apiUrl` tips answer 503.
 */
export interface PaymentsConfig {
  apiUrl: string | undefined;
  secretKey: string;
  currency: string;
  timeoutMs: number;
  /** Calls per tip request, the first included (retries = attempts − 1). */
  attempts: number;
  retryDelayMs: number;
  breakerErrorPercent: number;
  /** Calls in the breaker's rolling window before it may open. */
  breakerVolume: number;
  /** How long the breaker stays open before it lets one call probe the provider. */
  breakerResetMs: number;
}

export interface DatabaseConfig {
  url: string;
  /**
   * A streaming replica (livestream:S6), or undefined to read everything from the primary. Only reads that may
   * lag behind by the replication delay opt in: other members' follow lists. Everything else, and a member's
   * own lists, reads the primary (read-your-writes).
   */
  replicaUrl: string | undefined;
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
    serviceName: read.text('SERVICE_NAME', 'live-streaming'),
    http: {
      host: read.text('HOST', '0.0.0.0'),
      port: read.integer('PORT', 3002, 0, 65_535),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    },
    database: readDatabase(read),
    redis: {
      url: redisUrl,
      queueUrl: read.url('QUEUE_REDIS_URL', redisUrl, ['redis:', 'rediss:']),
      keyPrefix: read.text('REDIS_KEY_PREFIX', 'live:'),
      queuePrefix: read.text('QUEUE_PREFIX', 'live-bull'),
    },
    cache: {
      profileTtlSeconds: read.integer('CACHE_PROFILE_TTL_SECONDS', 3_600, 1, 86_400),
      // livestream:M5: also the CDN's s-maxage; a start or end of a stream replaces the cached pages at once.
      liveListTtlSeconds: read.integer('CACHE_LIVE_LIST_TTL_SECONDS', 30, 1, 60),
    },
    rateLimit: {
      requests: read.integer('RATE_LIMIT_REQUESTS', 100, 1, 1_000_000),
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3_600),
    },
    auth: {
      accessTokenSecret: read.secret('JWT_ACCESS_SECRET'),
      accessTokenTtlSeconds: read.integer('JWT_ACCESS_TTL_SECONDS', 3_600, 60, 86_400),
      refreshTokenTtlSeconds: read.integer('JWT_REFRESH_TTL_SECONDS', 7 * 86_400, 3_600, 90 * 86_400),
      issuer: read.text('JWT_ISSUER', 'remedy-live-streaming'),
      audience: read.text('JWT_AUDIENCE', 'live-streaming'),
    },
    observability: {
      logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      slowQueryMs: read.integer('SLOW_QUERY_MS', 200, 1, 60_000),
    },
    payments: {
      apiUrl: read.optionalUrl('PAYMENT_API_URL', ['http:', 'https:']),
      secretKey: read.text('PAYMENT_SECRET_KEY', 'sk_test_emulator'),
      currency: read.oneOf('PAYMENT_CURRENCY', ['usd', 'eur', 'gbp'], 'usd'),
      timeoutMs: read.integer('PAYMENT_TIMEOUT_MS', 3_000, 50, 60_000),
      attempts: read.integer('PAYMENT_ATTEMPTS', 3, 1, 10),
      retryDelayMs: read.integer('PAYMENT_RETRY_DELAY_MS', 100, 0, 10_000),
      breakerErrorPercent: read.integer('PAYMENT_BREAKER_ERROR_PERCENT', 50, 1, 100),
      breakerVolume: read.integer('PAYMENT_BREAKER_VOLUME', 10, 1, 10_000),
      breakerResetMs: read.integer('PAYMENT_BREAKER_RESET_MS', 30_000, 1_000, 600_000),
    },
    chat: {
      maxConnections: read.integer('CHAT_MAX_CONNECTIONS', 5_000, 1, 100_000),
      authTimeoutMs: read.integer('CHAT_AUTH_TIMEOUT_MS', 5_000, 100, 60_000),
      sendHighWaterBytes: read.integer('CHAT_SEND_HIGH_WATER_BYTES', 64 * 1024, 1_024, 16 * 1024 * 1024),
      maxPendingMessages: read.integer('CHAT_MAX_PENDING_MESSAGES', 256, 1, 100_000),
      messagesPerWindow: read.integer('CHAT_MESSAGES_PER_WINDOW', 5, 1, 10_000),
      rateWindowSeconds: read.integer('CHAT_RATE_WINDOW_SECONDS', 5, 1, 3_600),
      historyLength: read.integer('CHAT_HISTORY_LENGTH', 50, 1, 1_000),
      historyTtlSeconds: read.integer('CHAT_HISTORY_TTL_SECONDS', 300, 10, 86_400),
      maxMessageLength: read.integer('CHAT_MAX_MESSAGE_LENGTH', 500, 1, 4_000),
      frameWindowMs: read.integer('CHAT_FRAME_WINDOW_MS', 100, 0, 1_000),
      frameWindowMinSockets: read.integer('CHAT_FRAME_WINDOW_MIN_SOCKETS', 50, 1, 1_000_000),
    },
    viewers: {
      bucketSeconds: read.integer('VIEWER_BUCKET_SECONDS', 30, 1, 3_600),
      flushIntervalMs: read.integer('VIEWER_FLUSH_INTERVAL_MS', 1_000, 10, 60_000),
    },
    archives: readArchives(read),
    notifications: {
      // 1,000 a batch, as Mastodon's fan-out does: one INSERT of 1,000 rows is one round trip and < 100 ms.
      batchSize: read.integer('NOTIFY_BATCH_SIZE', 1_000, 1, 1_000),
      batchConcurrency: read.integer('NOTIFY_BATCH_CONCURRENCY', 4, 1, 64),
      attempts: read.integer('NOTIFY_ATTEMPTS', 8, 1, 50),
      retryDelayMs: read.integer('NOTIFY_RETRY_DELAY_MS', 1_000, 10, 600_000),
      relayPollMs: read.integer('NOTIFY_RELAY_POLL_MS', 1_000, 10, 60_000),
      redeliveryAfterMs: read.integer('NOTIFY_REDELIVERY_AFTER_MS', 600_000, 1_000, 86_400_000),
    },
    push: {
      apiUrl: read.optionalUrl('PUSH_API_URL', ['http:', 'https:']),
      apiKey: read.text('PUSH_API_KEY', 'pk_test_emulator'),
      timeoutMs: read.integer('PUSH_TIMEOUT_MS', 5_000, 50, 60_000),
      attempts: read.integer('PUSH_ATTEMPTS', 5, 1, 20),
      maxRetryAfterMs: read.integer('PUSH_MAX_RETRY_AFTER_MS', 60_000, 1_000, 600_000),
    },
  };
  read.assertValid();
  return config;
}

function readArchives(read: ConfigReader): ArchivesConfig {
  const accessKeyId = read.text('ARCHIVE_S3_ACCESS_KEY_ID', '');
  const secretAccessKey = read.text('ARCHIVE_S3_SECRET_ACCESS_KEY', '');
  if ((accessKeyId === '') !== (secretAccessKey === ''))
    read.problem(
      'ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY go together (or neither: the default chain)',
    );
  return {
    bucket: read.text('ARCHIVE_S3_BUCKET', 'live-streaming-media'),
    region: read.text('ARCHIVE_S3_REGION', 'us-east-1'),
    endpoint: read.optionalUrl('ARCHIVE_S3_ENDPOINT', ['http:', 'https:']),
    credentials: accessKeyId === '' || secretAccessKey === '' ? undefined : { accessKeyId, secretAccessKey },
    transcodeConcurrency: read.integer('TRANSCODE_CONCURRENCY', 2, 1, 64),
    transcodeAttempts: read.integer('TRANSCODE_ATTEMPTS', 4, 1, 20),
    transcodeBackoffMs: read.integer('TRANSCODE_BACKOFF_MS', 30_000, 10, 3_600_000),
    ffmpegPath: read.text('FFMPEG_PATH', 'ffmpeg'),
    ffmpegNice: read.integer('FFMPEG_NICE', 10, 0, 19),
    ffmpegThreads: read.integer('FFMPEG_THREADS', 2, 1, 64),
    workDir: read.text('TRANSCODE_WORK_DIR', tmpdir()),
  };
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
    url: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/live_streaming', [
      'postgres:',
      'postgresql:',
    ]),
    replicaUrl: read.optionalUrl('DATABASE_REPLICA_URL', ['postgres:', 'postgresql:']),
    applicationName: read.text('DB_APPLICATION_NAME', 'live-streaming'),
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

  problem(message: string): void {
    this.problems.push(message);
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
