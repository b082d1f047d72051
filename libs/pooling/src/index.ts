export { createPgPool } from './postgres/create-pg-pool.js';
export { isConnectionOpeningTimeout, PgPool, type PgPoolConfig } from './postgres/pg-pool.js';
export { PG_POOL_DEFAULTS, type PgPoolSettings } from './postgres/pg-pool-settings.js';
export { PoolExhaustedError } from './postgres/pool-exhausted.error.js';
export { PoolSettingsError } from './postgres/pool-settings.error.js';
export {
  maxPoolSizePerInstance,
  poolSizeForHardware,
  recommendedPoolSize,
  type ConnectionBudget,
  type DatabaseHardware,
} from './postgres/pool-size.js';
export {
  createDataSource,
  dataSourceOptions,
  type DataSourceSettings,
  type PostgresDataSourceOptions,
} from './typeorm/create-data-source.js';
export { dataSourcePools } from './typeorm/data-source-pools.js';
export { replacePoolKnobs } from './typeorm/replace-pool-knobs.js';
export { runMigrationsExclusively } from './typeorm/run-migrations-exclusively.js';
export { withPrimaryConnection, withReadConnection } from './typeorm/replica-routing.js';
export { queryEvents, type QueryEvent } from './query-counting/query-events.js';
export {
  QueryCounter,
  type CapturedStatement,
  type QueryCount,
  type QueryCountOptions,
} from './query-counting/query-counter.js';
export { poolStatementsDuring, type PoolStatements } from './query-counting/pool-statements-during.js';
export { assertAtMostQueries } from './query-counting/assert-at-most-queries.js';
export { TooManyQueriesError } from './query-counting/too-many-queries.error.js';
export { isTransactionControl } from './query-counting/transaction-control.js';
export { normalizeSql } from './query-counting/normalize-sql.js';
export { registerPoolMetrics } from './metrics/pool-metrics.js';
export {
  createRedisClients,
  queueConnectionOptions,
  REDIS_CLIENT_DEFAULTS,
  type RedisClients,
  type RedisClientSettings,
  type RedisClientUse,
} from './redis/create-redis-clients.js';
export { redisOptionsFromUrl } from './redis/redis-options-from-url.js';
export { assertQueueRedisDoesNotEvict } from './redis/assert-queue-redis-does-not-evict.js';
export { RedisClientsModule, type RedisClientsConfig } from './nest/redis-clients.module.js';
export { QUEUE_CONNECTION, QUEUE_REDIS, REDIS_CLIENTS } from './nest/redis-clients.tokens.js';
