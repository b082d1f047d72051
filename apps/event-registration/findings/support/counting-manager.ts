import type { DataSource, EntityManager } from 'typeorm';

/**
 * The DataSource's own manager, with every `query()` result's row count added up: lets a finding run the
 * real service code and still see how many rows the database sent to the app.
 */
export function countingManager(dataSource: DataSource): { manager: EntityManager; rows(): number } {
  let rows = 0;
  const manager = new Proxy(dataSource.manager, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return async (sql: string, parameters?: unknown[]) => {
        const result = (await target.query(sql, parameters)) as unknown;
        if (Array.isArray(result)) rows += result.length;
        return result;
      };
    },
  });
  return { manager, rows: () => rows };
}
