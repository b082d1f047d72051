export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

const COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;
const STRING_LITERALS = /'(?:[^']|'')*'/g;
const NUMBERS_AND_PARAMETERS = /\$\d+|(?<![\w$.])\d+(?:\.\d+)?\b/g;
const PLACEHOLDER_LISTS = /\(\s*\?(?:\s*,\s*\?)+\s*\)/g;
const REPEATED_ROWS = /\(\?\)(?:\s*,\s*\(\?\))+/g;
const MAX_LOGGED_SQL = 2000;
const MAIN_KINDS = ['select', 'insert', 'update', 'delete'] as const satisfies readonly StatementKind[];

/**
 * SQL with literals and parameters replaced by `?` and value lists collapsed, so slow-query lines group
 * by statement shape and never carry user data.
 */
export function normaliseSql(sql: string): string {
  const normalised = sql
    .replace(COMMENTS, ' ')
    .replace(STRING_LITERALS, '?')
    .replace(NUMBERS_AND_PARAMETERS, '?')
    .replace(PLACEHOLDER_LISTS, '(?)')
    .replace(REPEATED_ROWS, '(?), …')
    .replace(/\s+/g, ' ')
    .trim();
  return normalised.length > MAX_LOGGED_SQL ? `${normalised.slice(0, MAX_LOGGED_SQL)}…` : normalised;
}

/*
 * Every statement's kind labels its metric, and an app sends the same few texts over and over: remember
 * the kind per text rather than lower-case and scan a long CTE on each query (it was the costliest code of
 * ours on the registration path). Bounded in entries and text length, so SQL built with inlined values
 * cannot grow it without limit; past the bound a text is simply parsed each time.
 */
const REMEMBERED_KINDS = 1_000;
const LONGEST_REMEMBERED_SQL = 8_000;
const rememberedKinds = new Map<string, StatementKind>();

/** The statement's kind, for a metric label of bounded cardinality; a CTE counts as its main statement. */
export function statementKind(sql: string): StatementKind {
  const remembered = rememberedKinds.get(sql);
  if (remembered !== undefined) return remembered;
  const kind = parseStatementKind(sql);
  if (rememberedKinds.size < REMEMBERED_KINDS && sql.length <= LONGEST_REMEMBERED_SQL) {
    rememberedKinds.set(sql, kind);
  }
  return kind;
}

function parseStatementKind(sql: string): StatementKind {
  const text = sql.replace(COMMENTS, ' ').replace(STRING_LITERALS, "''").toLowerCase();
  const first = /^[\s(]*([a-z]+)/.exec(text)?.[1];
  return first === 'with' ? mainStatementAfterCtes(text) : asKind(first);
}

function mainStatementAfterCtes(text: string): StatementKind {
  let depth = 0;
  for (const [token] of text.matchAll(/[()]|\b(?:select|insert|update|delete)\b/g)) {
    if (token === '(') depth += 1;
    else if (token === ')') depth -= 1;
    else if (depth === 0) return asKind(token);
  }
  return 'other';
}

function asKind(keyword: string | undefined): StatementKind {
  return MAIN_KINDS.find((kind) => kind === keyword) ?? 'other';
}
