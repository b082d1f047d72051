import { tmpdir } from 'node:os';
import {
  ConfigReader,
  HTTP_PROTOCOLS,
  POSTGRES_PROTOCOLS,
  readServiceSettings,
  type ConfigValues,
  type DatabaseSettings,
  type ServiceSettings,
} from '@remedy/config';

export { ConfigError, type ConfigValues } from '@remedy/config';

/**
 * The one place that reads the environment. `loadConfig()` validates `process.env` once at start-up and
 * fails with every problem listed; `parseConfig(values)` does the same for a plain object, which is how
 * tests and findings build a config for an isolated database and Redis prefix.
 */
export interface AppConfig extends ServiceSettings {
  database: DatabaseConfig;
  /** How long a cached profile may live without an update (livestream:M4); an update deletes it at once. */
  cache: { profileTtlSeconds: number; liveListTtlSeconds: number };
  /** livestream:M1: requests per member per window, counted in the queue Redis across every instance. */
  rateLimit: { requests: number; windowSeconds: number };
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

export interface DatabaseConfig extends DatabaseSettings {
  /**
   * A streaming replica (livestream:S6), or undefined to read everything from the primary. Only reads that may
   * lag behind by the replication delay opt in: other members' follow lists. Everything else, and a member's
   * own lists, reads the primary (read-your-writes).
   */
  replicaUrl: string | undefined;
}

/** Reads the environment once; throws ConfigError listing every bad or missing variable. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

export function parseConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  const service = readServiceSettings(read, {
    serviceName: 'live-streaming',
    port: 3002,
    database: { url: 'postgres://postgres@127.0.0.1:5432/live_streaming', applicationName: 'live-streaming' },
    // livestream:S2: the queue Redis (noeviction) holds BullMQ's jobs and the login lockouts.
    redis: { keyPrefix: 'live:', queuePrefix: 'live-bull' },
    // livestream:M2: 1 h access tokens, 7 day one-time refresh tokens.
    auth: { accessTokenTtlSeconds: 3_600, issuer: 'remedy-live-streaming', audience: 'live-streaming' },
  });
  const config: AppConfig = {
    ...service,
    database: {
      ...service.database,
      replicaUrl: read.optionalUrl('DATABASE_REPLICA_URL', POSTGRES_PROTOCOLS),
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
    payments: {
      apiUrl: read.optionalUrl('PAYMENT_API_URL', HTTP_PROTOCOLS),
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
      apiUrl: read.optionalUrl('PUSH_API_URL', HTTP_PROTOCOLS),
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
    endpoint: read.optionalUrl('ARCHIVE_S3_ENDPOINT', HTTP_PROTOCOLS),
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
