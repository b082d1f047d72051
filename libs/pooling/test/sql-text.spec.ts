import { isTransactionControl, normalizeSql } from '../src/index.js';

describe('isTransactionControl', () => {
  test.each([
    'BEGIN',
    'START TRANSACTION',
    'COMMIT',
    'ROLLBACK',
    'ROLLBACK TO SAVEPOINT typeorm_1',
    'SAVEPOINT typeorm_1',
    'RELEASE SAVEPOINT typeorm_1',
    'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    '  begin',
  ])('%s is transaction control', (sql) => {
    expect(isTransactionControl(sql)).toBe(true);
  });

  test.each([
    'SELECT 1',
    'UPDATE begins SET n = 1',
    'SET statement_timeout = 0',
    'INSERT INTO commits VALUES (1)',
  ])('%s is not', (sql) => {
    expect(isTransactionControl(sql)).toBe(false);
  });
});

describe('normalizeSql', () => {
  test('puts a statement on one line with single spaces', () => {
    expect(normalizeSql('\n  SELECT "post"."id"\n    FROM   "posts" "post"\n\tWHERE 1 = 1 ')).toBe(
      'SELECT "post"."id" FROM "posts" "post" WHERE 1 = 1',
    );
  });
});
