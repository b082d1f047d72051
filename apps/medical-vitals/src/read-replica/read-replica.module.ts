import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { createReaderPool, createReportsPool } from './reader-pools.js';
import { READER_POOL, REPORTS_POOL } from './read-replica.tokens.js';

/** Read routing (V-13): dashboards and reports read through these pools, writes stay on the DataSource's primary. */
@Global()
@Module({
  providers: [
    {
      provide: READER_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PgPool => createReaderPool(config),
    },
    {
      provide: REPORTS_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PgPool => createReportsPool(config),
    },
  ],
  exports: [READER_POOL, REPORTS_POOL],
})
export class ReadReplicaModule implements OnApplicationShutdown {
  constructor(
    @Inject(READER_POOL) private readonly reader: PgPool,
    @Inject(REPORTS_POOL) private readonly reports: PgPool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.reader.end(), this.reports.end()]);
  }
}
