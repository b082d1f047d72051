import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { dataSourcePools, type PgPool } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { buildDataSource } from './data-source.factory.js';
import { PRIMARY_POOL } from './database.tokens.js';

/** One DataSource per process; its primary pool is shared with the raw-SQL write path. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DataSource> => buildDataSource(config).initialize(),
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
