/**
 * One row as PostgreSQL prints it (text output, UTC, ISO dates), keyed by column name; null is SQL NULL.
 * Text keeps every type exact and lets `COPY … FROM` load an archive back unchanged.
 */
export type ArchivedRow = Readonly<Record<string, string | null>>;

export type ArchivedValues = readonly (string | null)[];
