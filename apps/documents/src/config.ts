import {
  ConfigReader,
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
  /**
   * The appended rows (each one window of updates) are folded into the document's snapshot once this many have
   * accumulated, or once they hold `snapshotEveryBytes`: a cold load reads the snapshot and at most about that
   * tail (ADR 0095).
   */
  snapshotEvery: number;
  snapshotEveryBytes: number;
  /** Group commit (ADR 0084): a document's updates gathered this long, or up to this many bytes, per write. */
  appendWindow: { windowMs: number; maxBytes: number };
  /** How long a stop waits for the frames queued to its sockets (the last `saved`) before it closes them. */
  socketsDrainMs: number;
  /**
   * One writer per document (ADR 0086): the Redis lease's TTL, renewed every third of it; after a writer dies,
   * another instance holding the document takes over once its lease expired.
   */
  writerLeaseMs: number;
  /** When co-edited text is saved as the document's search body: after a pause in the edits, at most this late. */
  textSave: { debounceMs: number; maxWaitMs: number };
}

export type DatabaseConfig = DatabaseSettings;

/** Reads the environment once; throws ConfigError listing every bad or missing variable. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

export function parseConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  // The queue Redis (noeviction) holds BullMQ's jobs and the login lockouts.
  const service = readServiceSettings(read, {
    serviceName: 'documents',
    port: 3004,
    database: { url: 'postgres://postgres@127.0.0.1:5432/documents', applicationName: 'documents' },
    redis: { keyPrefix: 'documents:', queuePrefix: 'documents-bull' },
    auth: { accessTokenTtlSeconds: 3_600, issuer: 'remedy-documents', audience: 'documents' },
  });
  const config: AppConfig = {
    ...service,
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
      // 100 rows: 200 s of continuous editing in 2-s windows, a few ms of a cold load's read and apply; 256 KiB
      // bounds a tail of a few large windows (pastes) the same way (ADR 0095).
      snapshotEvery: read.integer('COLLAB_SNAPSHOT_EVERY', 100, 1, 1_000_000),
      snapshotEveryBytes: read.integer('COLLAB_SNAPSHOT_EVERY_BYTES', 256 * 1024, 1, 1024 * 1024 * 1024),
      // 2 s: 100 updates/s on a document cost one write per 2 s per instance holding it, and an editor waits at
      // most about that long for `saved` (Hocuspocus's debounce); the relay to the others does not wait.
      appendWindow: {
        windowMs: read.integer('COLLAB_APPEND_WINDOW_MS', 2_000, 1, 10_000),
        maxBytes: read.integer('COLLAB_APPEND_WINDOW_MAX_BYTES', 1024 * 1024, 1_024, 64 * 1024 * 1024),
      },
      // 5 s of the stop's grace at most: the drains around it need their share (below).
      socketsDrainMs: Math.min(service.http.shutdownGraceMs, 5_000),
      // 6 s: a dead writer's document is taken over (and its editors' pending edits stored) within 6 to 8 s.
      writerLeaseMs: read.integer('COLLAB_WRITER_LEASE_MS', 6_000, 100, 60_000),
      textSave: {
        debounceMs: read.integer('COLLAB_TEXT_SAVE_DEBOUNCE_MS', 2_000, 10, 60_000),
        maxWaitMs: read.integer('COLLAB_TEXT_SAVE_MAX_WAIT_MS', 10_000, 10, 600_000),
      },
    },
  };
  const { collaboration, http } = config;
  // A stop drains each document twice, around closing the sockets, and each drain keeps the document's writes
  // a window apart (ADR 0097): the first waits up to a window, the second a window after the first's commit or
  // the sockets' drain, whichever ends later. Both must end within the grace, with room for the writes.
  const { windowMs } = collaboration.appendWindow;
  if (windowMs + Math.max(windowMs, collaboration.socketsDrainMs) >= http.shutdownGraceMs)
    read.problem(
      `COLLAB_APPEND_WINDOW_MS (${windowMs}) must leave a stop room within SHUTDOWN_GRACE_MS ` +
        `(${http.shutdownGraceMs}): a window, then a window or the sockets' drain ` +
        `(${collaboration.socketsDrainMs} ms), whichever is longer, must take less`,
    );
  read.assertValid();
  return config;
}
