import {
  dataSourceOptions,
  PoolSettingsError,
  replacePoolKnobs,
  type DataSourceSettings,
} from '../src/index.js';

const settings: DataSourceSettings = {
  name: 'events',
  connectionString: 'postgres://primary/app_test',
  max: 20,
  connectionTimeoutMillis: 2_000,
  statementTimeoutMs: 5_000,
  idleInTransactionSessionTimeoutMs: 10_000,
  entities: [],
};

describe('dataSourceOptions', () => {
  test('never synchronizes and hands every pool knob to pg through `extra`', () => {
    const options = dataSourceOptions(settings);
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.extra).toEqual({
      max: 20,
      min: 0,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 2_000,
      newConnectionTimeoutMillis: 10_000,
      statement_timeout: 5_000,
      idle_in_transaction_session_timeout: 10_000,
    });
    expect(options).toMatchObject({
      url: 'postgres://primary/app_test',
      applicationName: 'events',
    });
    expect(options.replication).toBeUndefined();
  });

  test('a replica URL becomes TypeORM replication with reads on the replica', () => {
    const options = dataSourceOptions({
      ...settings,
      applicationName: 'events-api',
      replicaUrl: 'postgres://replica/app_test',
    });
    expect(options.replication).toEqual({
      master: {
        url: 'postgres://primary/app_test',
        applicationName: 'events-api',
      },
      slaves: [
        {
          url: 'postgres://replica/app_test',
          applicationName: 'events-api-replica',
        },
      ],
      defaultMode: 'slave',
    });
    // A top-level application_name would override both sides.
    expect(options.applicationName).toBeUndefined();
  });

  test('rejects settings that would wait or run forever', () => {
    expect(() =>
      dataSourceOptions({
        ...settings,
        connectionTimeoutMillis: 0,
        statementTimeoutMs: 0,
        min: 30,
      }),
    ).toThrow(
      new PoolSettingsError('events', [
        'connectionTimeoutMillis must be a positive integer, got 0',
        'statementTimeoutMs must be a positive integer, got 0',
        'min (30) exceeds max (20)',
      ]),
    );
  });
});

describe('replacePoolKnobs', () => {
  test("hands the service's pool knobs to the replacement and keeps the server-side timeouts", () => {
    const seen: unknown[] = [];
    const replaced = replacePoolKnobs(dataSourceOptions(settings), (serviceKnobs) => {
      seen.push(serviceKnobs);
      return { max: 100_000, connectionTimeoutMillis: 0 };
    });
    expect(seen).toEqual([
      {
        max: 20,
        min: 0,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: 2_000,
        newConnectionTimeoutMillis: 10_000,
      },
    ]);
    expect(replaced.extra).toEqual({
      max: 100_000,
      connectionTimeoutMillis: 0,
      statement_timeout: 5_000,
      idle_in_transaction_session_timeout: 10_000,
    });
    expect(replaced.url).toBe('postgres://primary/app_test');
  });
});
