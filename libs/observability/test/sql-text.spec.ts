import { describe, expect, it } from '@jest/globals';
import { normaliseSql, statementKind } from '../src/index.js';

describe('statementKind', () => {
  it.each([
    ['SELECT 1', 'select'],
    ['  select * from events where id = $1', 'select'],
    ['(SELECT 1) UNION (SELECT 2)', 'select'],
    ['/* load */ INSERT INTO t (a) VALUES ($1)', 'insert'],
    ['-- bump\nUPDATE t SET a = 1', 'update'],
    ['DELETE FROM t WHERE id = $1', 'delete'],
    [
      'WITH picked AS (SELECT id FROM t LIMIT 1) UPDATE t SET taken = true FROM picked WHERE t.id = picked.id',
      'update',
    ],
    [
      'WITH RECURSIVE tree AS (SELECT 1 UNION ALL SELECT n + 1 FROM tree WHERE n < 3) SELECT * FROM tree',
      'select',
    ],
    ["WITH x AS (SELECT ')' AS p) DELETE FROM t USING x", 'delete'],
    ['BEGIN', 'other'],
    ['COPY t FROM STDIN', 'other'],
    ['', 'other'],
  ])('%j is %s', (sql, kind) => {
    expect(statementKind(sql)).toBe(kind);
  });
});

describe('statementKind, asked again and again', () => {
  it('answers the same for a text it has seen, and parses texts past what it remembers', () => {
    const texts = Array.from({ length: 3_000 }, (_, i) =>
      i % 2 === 0 ? `SELECT ${i}` : `WITH x AS (SELECT ${i}) UPDATE t SET a = 1 FROM x`,
    );
    for (const round of [1, 2]) {
      const kinds = texts.map((text) => statementKind(text));
      expect({ round, kinds }).toEqual({
        round,
        kinds: texts.map((_, i) => (i % 2 === 0 ? 'select' : 'update')),
      });
    }
    const long = `WITH x AS (SELECT '${'a'.repeat(10_000)}') DELETE FROM t USING x`;
    expect([statementKind(long), statementKind(long)]).toEqual(['delete', 'delete']);
  });
});

describe('normaliseSql', () => {
  it('replaces literals and parameters and collapses value lists', () => {
    expect(
      normaliseSql("SELECT * FROM users WHERE email = 'a@b.c' AND age > 42 AND id IN ($1, $2, $3)"),
    ).toBe('SELECT * FROM users WHERE email = ? AND age > ? AND id IN (?)');
    expect(normaliseSql('INSERT INTO t (a, b)\n  VALUES ($1, $2), ($3, $4), ($5, $6)')).toBe(
      'INSERT INTO t (a, b) VALUES (?), …',
    );
  });

  it('keeps identifiers that contain digits and drops comments', () => {
    expect(normaliseSql('/* trace */ SELECT col1 FROM t2 -- hint\nWHERE t2.x = 1.5')).toBe(
      'SELECT col1 FROM t2 WHERE t2.x = ?',
    );
  });

  it('bounds the length of what it returns', () => {
    expect(normaliseSql(`SELECT ${'a, '.repeat(2000)}b FROM t`).length).toBeLessThanOrEqual(2001);
  });
});
