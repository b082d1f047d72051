import type { Provider } from '@nestjs/common';
import { dataSourcePools } from '@remedy/pooling';
import type pg from 'pg';
import { DataSource } from 'typeorm';

export const PRIMARY_POOL = Symbol('PRIMARY_POOL');

/**
 * The DataSource's primary pg pool: registration writes are a few hand-written statements in one
 * transaction, so they run on a pg client directly (same pool, same query metrics, no second pool).
 */
export const primaryPoolProvider: Provider = {
  provide: PRIMARY_POOL,
  inject: [DataSource],
  useFactory: (dataSource: DataSource): pg.Pool => {
    const [primary] = dataSourcePools(dataSource);
    if (!primary) throw new Error('the DataSource has no primary pool');
    return primary;
  },
};
