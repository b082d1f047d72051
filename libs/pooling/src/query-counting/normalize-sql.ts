/** One line, single spaces: ORM output is multi-line and indented, which makes assertion messages unreadable. */
export function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
