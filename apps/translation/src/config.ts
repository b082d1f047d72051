import {
  ConfigReader,
  HTTP_PROTOCOLS,
  readServiceSettings,
  type ConfigValues,
  type DatabaseSettings,
  type LogSettings,
  type ServiceSettings,
} from '@remedy/config';
import { providerPoolSize } from './translation/providers/provider-connection-pool.js';

export { ConfigError, type ConfigValues } from '@remedy/config';

/**
 * The one place that reads the environment. `loadConfig()` validates `process.env` once at start-up and
 * fails with every problem listed; `parseConfig(values)` does the same for a plain object, which is how
 * tests and findings build a config for an isolated database and Redis prefix.
 */
export interface AppConfig extends ServiceSettings {
  /**
   * polyglot-b:M-1: how long cached session metadata may live. Starting or ending a session replaces the entry
   * at once, so the TTL only bounds memory for sessions nobody reads any more.
   * polyglot-a:S-3, polyglot-b:C-1: how long a session's cached language map may live. A join or a leave
   * invalidates it through its outbox event; the TTL bounds how long a map stays wrong if that event is lost.
   * Issue 13: how long a language pair's cached glossary answer may live. A glossary change invalidates it before
   * it is acknowledged; the TTL bounds how long a change that was never acknowledged (its instance died after the
   * commit, or the cache Redis refused the invalidation: a 503) may go unapplied, and memory for idle pairs.
   */
  cache: { sessionTtlSeconds: number; sessionLanguagesTtlSeconds: number; glossaryTtlSeconds: number };
  /** polyglot-a:M-2: how long a client's join idempotency key is remembered (a reconnect storm is shorter). */
  joins: { idempotencyKeyTtlSeconds: number };
  /**
   * polyglot-a:MI-2: one request line for every 5xx and every request slower than `slowRequestMs`, and for
   * `requestSampleRatio` of the rest (by request-ID hash); never a body.
   */
  observability: LogSettings & { requestSampleRatio: number; slowRequestMs: number };
  /** The machine-translation engines and what guards them (polyglot-a:C-2, M-3, polyglot-b:S-1, I-2). */
  providers: ProvidersConfig;
  /** polyglot-a:M-1, polyglot-b:S-3: how long a translation stays cached, by content kind. */
  translationCache: { chatTtlSeconds: number; captionTtlSeconds: number; documentTtlSeconds: number };
  chat: ChatConfig;
  speech: SpeechConfig;
  history: HistoryConfig;
}

/** WebSocket /speech and its pipeline (polyglot-b:M-2): chunking, the speech-to-text service, frame limits. */
export interface SpeechConfig {
  /** The streaming speech-to-text service and its key (`Authorization: Bearer`); unset key: /speech refuses. */
  sttUrl: string;
  sttKey: string | undefined;
  /** Per call: past it the call is aborted and retried once, then the chunk is reported lost to the speaker. */
  sttTimeoutMs: number;
  /** Audio per recognition call, and how much of the previous chunk's end each chunk repeats. */
  chunkMs: number;
  overlapMs: number;
  /** Largest binary frame (one Ogg page: 20–120 ms of 32 kbit/s Opus is well under 1 KB). */
  maxFrameBytes: number;
}

/**
 * polyglot-a:C-1: the history's retention job. Days past the 30-day hot window are written as gzip NDJSON under
 * `archiveDirectory` (a mounted volume), read back and verified, and only then dropped.
 */
export interface HistoryConfig {
  /** Run the job in this process ('off': another deployment of the app runs it). */
  maintenance: boolean;
  /** When the job runs (UTC cron); it also runs once at start-up. */
  maintenanceCron: string;
  archiveDirectory: string;
}

/** WebSocket /chat (polyglot-b:I-1, C-5): admission and the send path of one instance. */
export interface ChatConfig {
  /** Sockets one instance serves; past it a socket is closed with 1013 (memory ≈ 10 KB per socket). */
  maxConnections: number;
  /** How long a new socket has to send its first message, the one carrying the access token. */
  authTimeoutMs: number;
  /** Bytes a socket may leave unsent before messages queue; past `maxPendingMessages` queued, it is closed. */
  sendHighWaterBytes: number;
  maxPendingMessages: number;
  /** The longest chat message, in UTF-16 code units. */
  maxMessageLength: number;
  /**
   * polyglot-a:S-5: how long the worker waits for one language's translation of a message before it delivers the
   * original, marked untranslated (review a: at most 3 s).
   */
  translationTimeoutMs: number;
  /** Messages one worker translates at once (each waits on the provider, not on the CPU). */
  workerConcurrency: number;
  /** An undelivered message older than this is enqueued again by the worker's sweep (its job was lost). */
  redeliverAfterMs: number;
  /** How often the worker sweeps for such messages. */
  redeliverySweepMs: number;
  /**
   * polyglot-a:S-2: how long a user's entry in the connection registry, and an instance's liveness, outlive the
   * instance's last heartbeat (every third of it): a crashed instance's users stop being routed to it after this.
   */
  registryTtlSeconds: number;
  /**
   * polyglot-a:S-1: room frames (messages, captions) reaching an instance within this window of a room's first one
   * go to each socket as one `batch` frame; 0 sends a frame per message.
   */
  frameWindowMs: number;
  /** Rooms with fewer sockets than this on an instance skip the window: their frames are cheap, the wait is not. */
  frameWindowMinSockets: number;
}

/** One engine's endpoint, key and the quotas its account has (0: none known). */
export interface EngineConfig {
  url: string;
  /** Google: OAuth access token; DeepL: auth key. Unset: the engine refuses every call without calling out. */
  key: string | undefined;
  charactersPerMinute: number;
  requestsPerSecond: number;
}

export interface ProvidersConfig {
  google: EngineConfig & { project: string; location: string };
  deepl: EngineConfig;
  /** Per call: past it the call is aborted and its connection closed (review b: 2 s). */
  timeoutMs: number;
  /**
   * Keep-alive connections per engine and instance: TRANSLATION_POOL_SIZE when set, else Little's law over the
   * planned peak (providerPoolSize): peak calls/s × p99 latency × 1.5.
   */
  poolSize: number;
  /** Failures that open an engine's breaker, and how long it stays open before one trial call. */
  breakerVolume: number;
  breakerResetMs: number;
  /** Longest wait for the quota budget before the batch goes to the fallback engine instead. */
  quotaMaxWaitMs: number;
  /** How long the first text of a batch waits for others of its organisation, pair and glossary (polyglot-b:S-5). */
  batchWindowMs: number;
  /**
   * Provider calls one batch group (organisation, pair, glossary version) may have out at once (ADR 0076): a text
   * arriving while a call is out goes in the next window's call instead of waiting for it, up to this bound;
   * past it texts wait and ride together in one call. At most `poolSize`, so one busy pair cannot hold every
   * connection of the pool; the quota budget still paces every call.
   */
  maxCallsInFlightPerPair: number;
}

export type DatabaseConfig = DatabaseSettings;

/** Reads the environment once; throws ConfigError listing every bad or missing variable. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

export function parseConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  // The queue Redis (noeviction) holds BullMQ's jobs, the login lockouts and the join idempotency keys.
  const service = readServiceSettings(read, {
    serviceName: 'translation',
    port: 3003,
    database: { url: 'postgres://postgres@127.0.0.1:5432/translation', applicationName: 'translation' },
    redis: { keyPrefix: 'translation:', queuePrefix: 'translation-bull' },
    auth: { accessTokenTtlSeconds: 3_600, issuer: 'remedy-translation', audience: 'translation' },
  });
  const config: AppConfig = {
    ...service,
    cache: {
      sessionTtlSeconds: read.integer('CACHE_SESSION_TTL_SECONDS', 3_600, 1, 86_400),
      sessionLanguagesTtlSeconds: read.integer('CACHE_SESSION_LANGUAGES_TTL_SECONDS', 300, 1, 86_400),
      glossaryTtlSeconds: read.integer('CACHE_GLOSSARY_TTL_SECONDS', 600, 1, 86_400),
    },
    joins: {
      idempotencyKeyTtlSeconds: read.integer('JOIN_IDEMPOTENCY_TTL_SECONDS', 300, 10, 86_400),
    },
    chat: {
      maxConnections: read.integer('CHAT_MAX_CONNECTIONS', 5_000, 1, 100_000),
      authTimeoutMs: read.integer('CHAT_AUTH_TIMEOUT_MS', 5_000, 100, 60_000),
      sendHighWaterBytes: read.integer('CHAT_SEND_HIGH_WATER_BYTES', 64 * 1024, 1_024, 16 * 1024 * 1024),
      maxPendingMessages: read.integer('CHAT_MAX_PENDING_MESSAGES', 256, 1, 100_000),
      maxMessageLength: read.integer('CHAT_MAX_MESSAGE_LENGTH', 2_000, 1, 4_000),
      translationTimeoutMs: read.integer('CHAT_TRANSLATION_TIMEOUT_MS', 3_000, 50, 120_000),
      workerConcurrency: read.integer('CHAT_WORKER_CONCURRENCY', 32, 1, 1_000),
      redeliverAfterMs: read.integer('CHAT_REDELIVER_AFTER_MS', 60_000, 0, 86_400_000),
      redeliverySweepMs: read.integer('CHAT_REDELIVERY_SWEEP_MS', 15_000, 100, 3_600_000),
      registryTtlSeconds: read.integer('CHAT_REGISTRY_TTL_SECONDS', 30, 3, 3_600),
      // Review a: "collect messages over 100ms window and send as batch".
      frameWindowMs: read.integer('CHAT_FRAME_WINDOW_MS', 100, 0, 1_000),
      frameWindowMinSockets: read.integer('CHAT_FRAME_WINDOW_MIN_SOCKETS', 50, 1, 1_000_000),
    },
    speech: {
      sttUrl: read.url('STT_URL', 'https://speech.googleapis.com', HTTP_PROTOCOLS),
      sttKey: read.optionalText('STT_KEY'),
      sttTimeoutMs: read.integer('STT_TIMEOUT_MS', 2_000, 50, 60_000),
      // Review b: 1-second chunks with 200 ms overlap for continuous recognition.
      chunkMs: read.integer('SPEECH_CHUNK_MS', 1_000, 100, 10_000),
      overlapMs: read.integer('SPEECH_OVERLAP_MS', 200, 0, 5_000),
      maxFrameBytes: read.integer('SPEECH_MAX_FRAME_BYTES', 16 * 1024, 1_024, 1024 * 1024),
    },
    history: {
      maintenance: read.oneOf('HISTORY_MAINTENANCE', ['on', 'off'] as const, 'on') === 'on',
      maintenanceCron: read.text('HISTORY_MAINTENANCE_CRON', '20 * * * *'),
      archiveDirectory: read.text('HISTORY_ARCHIVE_DIR', '/var/lib/translation/history-archive'),
    },
    observability: {
      ...service.observability,
      // Review a: 1 % of requests, and every error and every request over 1 s.
      requestSampleRatio: read.ratio('LOG_REQUEST_SAMPLE_RATIO', 0.01),
      slowRequestMs: read.integer('LOG_SLOW_REQUEST_MS', 1_000, 1, 600_000),
    },
    providers: readProviders(read),
    translationCache: {
      // Review a: real-time chat and audio 5 minutes (little reuse), documents 24 hours.
      chatTtlSeconds: read.integer('TRANSLATION_CACHE_CHAT_TTL_SECONDS', 300, 1, 30 * 86_400),
      captionTtlSeconds: read.integer('TRANSLATION_CACHE_CAPTION_TTL_SECONDS', 300, 1, 30 * 86_400),
      documentTtlSeconds: read.integer('TRANSLATION_CACHE_DOCUMENT_TTL_SECONDS', 86_400, 1, 30 * 86_400),
    },
  };
  read.guard(() => {
    if (config.speech.overlapMs >= config.speech.chunkMs)
      throw new Error('SPEECH_OVERLAP_MS must be shorter than SPEECH_CHUNK_MS');
  }, undefined);
  read.assertValid();
  return config;
}

/** The default bound on provider calls out at once per batch group; see maxCallsInFlightPerPair. */
const MAX_CALLS_IN_FLIGHT_PER_PAIR = 4;

function readProviders(read: ConfigReader): ProvidersConfig {
  const engine = (name: 'GOOGLE' | 'DEEPL', url: string, charactersPerMinute: number): EngineConfig => ({
    url: read.url(`${name}_TRANSLATE_URL`, url, HTTP_PROTOCOLS),
    key: read.optionalText(`${name}_TRANSLATE_KEY`),
    charactersPerMinute: read.integer(`${name}_CHARACTERS_PER_MINUTE`, charactersPerMinute, 0, 1_000_000_000),
    requestsPerSecond: read.integer(`${name}_REQUESTS_PER_SECOND`, 0, 0, 1_000_000),
  });
  const formula = () =>
    providerPoolSize({
      peakCallsPerSecond: read.integer('TRANSLATION_PEAK_CALLS_PER_SECOND', 200, 1, 1_000_000),
      p99LatencyMs: read.integer('TRANSLATION_P99_LATENCY_MS', 300, 1, 60_000),
    });
  const poolSize = read.has('TRANSLATION_POOL_SIZE')
    ? read.integer('TRANSLATION_POOL_SIZE', 1, 1, 10_000)
    : formula();
  return {
    // Google's default v3 quota: 6,000,000 characters per minute per project.
    google: {
      ...engine('GOOGLE', 'https://translation.googleapis.com', 6_000_000),
      project: read.text('GOOGLE_PROJECT', 'polyglot-connect'),
      location: read.text('GOOGLE_LOCATION', 'us-central1'),
    },
    deepl: engine('DEEPL', 'https://api.deepl.com', 0),
    timeoutMs: read.integer('TRANSLATION_TIMEOUT_MS', 2_000, 50, 60_000),
    poolSize,
    // Review a: fail fast after 5 consecutive errors, half-open retry after 30 s.
    breakerVolume: read.integer('TRANSLATION_BREAKER_VOLUME', 5, 1, 1_000),
    breakerResetMs: read.integer('TRANSLATION_BREAKER_RESET_MS', 30_000, 100, 600_000),
    quotaMaxWaitMs: read.integer('TRANSLATION_QUOTA_MAX_WAIT_MS', 1_000, 0, 60_000),
    // Short against a chat message's budget, long enough for a burst's requests to meet (review b: 10–25 ms).
    batchWindowMs: read.integer('TRANSLATION_BATCH_WINDOW_MS', 15, 0, 1_000),
    // Measured with the small-sessions bench (ADR 0076): 4 takes the wait behind a pair's call out of nearly
    // every message at 20 texts/s per pair, where ~3 calls of 150 ms are out at once.
    maxCallsInFlightPerPair: read.has('TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR')
      ? read.integer('TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR', 1, 1, poolSize)
      : Math.min(MAX_CALLS_IN_FLIGHT_PER_PAIR, poolSize),
  };
}
