import pg from 'pg';
import { loadConfig } from './config.js';
import { rebuildSearchWords } from './search/rebuild-search-words.js';

/**
 * `npm run rebuild-search-words`: rebuilds the organisations' title words from the search index (ADR 0098), after
 * a re-index, after index rows were written outside the indexer, or to drop the words of titles that are gone.
 * Safe while the API and the indexer run.
 */
const { database } = loadConfig();
const pool = new pg.Pool({
  connectionString: database.url,
  application_name: `${database.applicationName}-rebuild-search-words`,
  max: 1,
});
try {
  const rebuilt = await rebuildSearchWords(pool);
  process.stdout.write(`search words rebuilt: ${rebuilt.words} words of ${rebuilt.organisations} organisations\n`);
} finally {
  await pool.end();
}
