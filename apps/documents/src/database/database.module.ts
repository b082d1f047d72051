import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import { buildDataSource, type DataSourceRole } from './data-source.factory.js';

class DataSourceShutdown implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides the initialised TypeORM DataSource (global); its pool closes when the application shuts down. */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, role: DataSourceRole['role']): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => buildDataSource(config.database, { role }).initialize(),
        },
        DataSourceShutdown,
      ],
      exports: [DataSource],
    };
  }
}
