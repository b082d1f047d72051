import pg from 'pg';

/** The pooling package's test schema: posts written by authors, the smallest shape an N+1 needs. */
export async function migrateBlogSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE authors (
        id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL
      );
      CREATE TABLE posts (
        id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        title     text NOT NULL,
        author_id integer NOT NULL REFERENCES authors (id)
      );
      CREATE INDEX posts_author_id_idx ON posts (author_id);
    `);
  } finally {
    await client.end();
  }
}
