import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { dataSourcePools, type PgPool } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { buildDataSource } from './data-source.factory.js';
import { PRIMARY_POOL } from './database.tokens.js';

/**
 * Opens the primary pool's kept connections (poolMin) before the process serves: the first flushes of a load
 * then find them open instead of each opening one, which on a busy host took longer than the connection
 * timeout and failed the batch.
 */
async function openConnections(dataSource: DataSource, count: number): Promise<void> {
  const [primary] = dataSourcePools(dataSource);
  if (!primary || count === 0) return;
  const clients = await Promise.all(Array.from({ length: count }, () => primary.connect()));
  for (const client of clients) client.release();
}

/** One DataSource per process; its primary pool is shared with the raw-SQL write path. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DataSource> => {
        const dataSource = await buildDataSource(config).initialize();
        await openConnections(dataSource, config.database.poolMin);
        return dataSource;
      },
    },
    {
      provide: PRIMARY_POOL,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): PgPool => {
        const [primary] = dataSourcePools(dataSource);
        if (!primary) throw new Error('the DataSource has no primary pool');
        return primary;
      },
    },
  ],
  exports: [DataSource, PRIMARY_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
