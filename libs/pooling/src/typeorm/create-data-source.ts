import { DataSource, type DataSourceOptions } from 'typeorm';
import { pgPoolKnobs, type PgPoolSettings } from '../postgres/pg-pool-settings.js';
import { instrumentedPgDriver } from './instrumented-pg-driver.js';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface DataSourceSettings extends PgPoolSettings {
  entities: NonNullable<PostgresDataSourceOptions['entities']>;
  /** Defaults to none: a DataSource that serves requests need not know the migrations. */
  migrations?: NonNullable<PostgresDataSourceOptions['migrations']>;
  /**
   * A streaming replica. When set, reads without an explicit query runner (repository find, query builder
   * getMany) go to it and writes go to the primary; the replica pool gets the same knobs and is named
   * `<name>-replica`, with application_name `<applicationName>-replica`.
   */
  replicaUrl?: string;
  /**
   * With a replica, where reads that did not pick a server (repository find, query builder getMany) go.
   * Default `replica`. `primary` keeps every read on the primary unless it opts in through
   * withReadConnection: for an app whose plain reads must see the caller's own writes (read-your-writes).
   */
  implicitReads?: 'replica' | 'primary';
}

/**
 * TypeORM options for Postgres: never `synchronize`, pools with the same explicit knobs as createPgPool
 * (through `extra`, which TypeORM hands to pg.Pool), and the instrumented pg module as the driver.
 */
export function dataSourceOptions(settings: DataSourceSettings): PostgresDataSourceOptions {
  const applicationName = settings.applicationName ?? settings.name;
  const replicaApplicationName = `${applicationName}-replica`;
  const replicaPoolName = `${settings.name}-replica`;
  const base = {
    type: 'postgres',
    synchronize: false,
    migrationsRun: false,
    entities: settings.entities,
    migrations: settings.migrations ?? [],
    driver: instrumentedPgDriver((name) =>
      name === replicaApplicationName ? replicaPoolName : settings.name,
    ),
    extra: pgPoolKnobs(settings),
  } as const;
  if (settings.replicaUrl === undefined) {
    return { ...base, url: settings.connectionString, applicationName };
  }
  // TypeORM 1.x still calls the primary `master` and replicas `slaves`; an application_name set at the top
  // level would override both, so each side carries its own.
  return {
    ...base,
    replication: {
      master: { url: settings.connectionString, applicationName },
      slaves: [{ url: settings.replicaUrl, applicationName: replicaApplicationName }],
      defaultMode: settings.implicitReads === 'primary' ? 'master' : 'slave',
    },
  };
}

/** An uninitialised DataSource built from dataSourceOptions; call `initialize()` and, at shutdown, `destroy()`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
