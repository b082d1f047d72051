import {
  ConfigReader,
  HTTP_PROTOCOLS,
  POSTGRES_PROTOCOLS,
  readServiceSettings,
  type AccessTokenSettings,
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
  /** `enabled: false` reads straight from Postgres (benchmarks compare both; an operator's escape hatch). */
  cache: { enabled: boolean; eventListTtlSeconds: number; statsTtlSeconds: number };
  /** Access tokens, and the key of the purpose tokens in check-in QR codes. */
  auth: AccessTokenSettings & { purposeTokenSecret: string };
  mail: { sesEndpoint: string | undefined; sesRegion: string; fromAddress: string; requestTimeoutMs: number };
  /**
   * A message published but not acknowledged by its consumer in `redeliveryAfterMs` is published again
   * (the queue Redis lost it). Longer than a queue backlog plus the job's retries; a redelivery of a job
   * still in Redis is dropped by BullMQ's jobId dedupe, so erring short costs only a sweep.
   */
  outbox: { redeliveryAfterMs: number };
  retention: RetentionConfig;
}

export interface DatabaseConfig extends DatabaseSettings {
  replicaUrl: string | undefined;
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

/** Reads the environment once; throws ConfigError listing every bad or missing variable. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

export function parseConfig(values: ConfigValues): AppConfig {
  const read = new ConfigReader(values);
  const service = readServiceSettings(read, {
    serviceName: 'event-registration',
    port: 3000,
    database: {
      url: 'postgres://postgres@127.0.0.1:5432/events',
      applicationName: 'event-registration',
      // Callers queue for a connection in FIFO order (pg-pool's queue) up to this long, then get a 503 with
      // Retry-After. 15 s lets a registration rush (2,000 callers on one event) drain through the pool
      // instead of failing while the database is merely busy (docs/capacity-event-registration.md).
      connectionTimeoutMs: 15_000,
      statementTimeoutMs: 5_000,
    },
    redis: { keyPrefix: 'events:', queuePrefix: 'events-bull' },
    auth: { accessTokenTtlSeconds: 900, issuer: 'remedy-event-registration', audience: 'event-registration' },
  });
  const config: AppConfig = {
    ...service,
    database: {
      ...service.database,
      replicaUrl: read.optionalUrl('DATABASE_REPLICA_URL', POSTGRES_PROTOCOLS),
    },
    cache: {
      enabled: read.boolean('CACHE_ENABLED', true),
      eventListTtlSeconds: read.integer('CACHE_EVENT_LIST_TTL_SECONDS', 60, 1, 86_400),
      statsTtlSeconds: read.integer('CACHE_STATS_TTL_SECONDS', 3_600, 1, 86_400),
    },
    auth: { ...service.auth, purposeTokenSecret: read.secret('QR_TOKEN_SECRET') },
    mail: {
      sesEndpoint: read.optionalUrl('SES_ENDPOINT', HTTP_PROTOCOLS),
      sesRegion: read.text('SES_REGION', 'ap-northeast-1'),
      fromAddress: read.text('MAIL_FROM', 'events@example.com'),
      requestTimeoutMs: read.integer('SES_REQUEST_TIMEOUT_MS', 5_000, 100, 60_000),
    },
    outbox: {
      redeliveryAfterMs: read.integer('OUTBOX_REDELIVERY_AFTER_MS', 300_000, 1_000, 86_400_000),
    },
    retention: readRetention(read),
  };
  read.assertValid();
  return config;
}

function readRetention(read: ConfigReader): RetentionConfig {
  const kind = read.oneOf('ARCHIVE_KIND', ['filesystem', 's3'] as const, 'filesystem');
  const archive: ArchiveConfig =
    kind === 's3'
      ? {
          kind,
          bucket: read.required('ARCHIVE_S3_BUCKET'),
          endpoint: read.optionalUrl('ARCHIVE_S3_ENDPOINT', HTTP_PROTOCOLS),
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
