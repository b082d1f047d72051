import type { CapturedStatement } from './query-counter.js';

const MAX_SQL_CHARS = 240;

/** A query budget was exceeded; the message lists every captured statement so the N+1 is visible at once. */
export class TooManyQueriesError extends Error {
  override readonly name = 'TooManyQueriesError';

  constructor(
    readonly max: number,
    readonly statements: readonly CapturedStatement[],
    label?: string,
  ) {
    const subject = label === undefined ? '' : ` for ${label}`;
    super(
      `expected at most ${max} SQL statements${subject}, but ${statements.length} ran:\n${formatStatements(statements)}`,
    );
  }
}

function formatStatements(statements: readonly CapturedStatement[]): string {
  const width = String(statements.length).length;
  return statements
    .map((statement, index) => {
      const sql =
        statement.sql.length > MAX_SQL_CHARS ? `${statement.sql.slice(0, MAX_SQL_CHARS)}…` : statement.sql;
      const outcome = statement.failed ? ', failed' : '';
      return `  ${String(index + 1).padStart(width)}. ${sql}  [${statement.pool}, ${statement.durationMs.toFixed(1)} ms${outcome}]`;
    })
    .join('\n');
}
