import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { explainScans, useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentSearchPage } from '../src/search/document-search-page.js';
import { ADD_ORGANISATION_TITLE_WORDS_SQL } from '../src/search/document-search-words.sql.js';
import { rebuildSearchWords } from '../src/search/rebuild-search-words.js';
import { SearchIndexWriter } from '../src/search/search-index-writer.js';

const ctx = useTestContext(documentsHarness);

/** Documents whose every title holds "meeting": each one shares the typo's trigrams. */
const TITLES = 15_000;
/** "meeting" without its third letter: close enough to it for the title match (word similarity 0.67). */
const TYPO = 'meting';

interface SearchPageBody {
  data: Array<{ documentId: string; title: string; rank: number }>;
  pagination: { nextCursor: string | null };
}

/**
 * ADR 0098: a typo is looked up among the organisation's title words, and the titles holding the words found are
 * read as the words of a query are (ADR 0094), so a typo of a word in every title reads about the candidates, not
 * every title sharing its trigrams. The indexer keeps the words with its upserts, redeliveries included.
 */
describe('a typo is looked up among the title words', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let session: AuthSessionBody;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    session = await api.signup('typos@example.com');
    // Index rows as the indexer writes them, newest change first by n, and the titles' words; bodies of about a
    // kilobyte of vector, as documents have, so the planner reads a word in no document through the GIN index.
    await ctx.pool.query(
      `INSERT INTO document_search (document_id, organisation_id, title, search, source_version, source_changed_at)
       SELECT gen_random_uuid(), $1, d.title,
              setweight(to_tsvector('simple', d.title), 'A') || setweight(to_tsvector('simple', d.body), 'B'),
              1, now() - n * interval '1 second'
         FROM generate_series(1, $2::int) n,
              LATERAL (SELECT 'meeting ' || (ARRAY['agenda','budget','minutes','roadmap'])[1 + n % 4] || ' ' || n
                                AS title,
                             (SELECT string_agg(md5((n * 40 + k)::text), ' ') FROM generate_series(1, 30) k) AS body) d`,
      [session.user.organisationId, TITLES],
    );
    await ctx.pool.query(ADD_ORGANISATION_TITLE_WORDS_SQL, [session.user.organisationId]);
    await ctx.pool.query('ANALYZE document_search, document_search_words');
  }, 120_000);

  afterAll(async () => {
    await testApp.close();
  });

  /** Every page of a query through the API, in order. */
  const allPages = async (q: string) => {
    const hits: SearchPageBody['data'] = [];
    let cursor: string | null = null;
    do {
      const page: SearchPageBody = await api.expect<SearchPageBody>(
        200,
        'GET',
        `/documents/search?q=${encodeURIComponent(q)}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        undefined,
        session.accessToken,
      );
      hits.push(...page.data);
      cursor = page.pagination.nextCursor;
    } while (cursor !== null);
    return hits;
  };

  it('reads fewer rows than half the titles sharing the trigrams of a typo of their common word', async () => {
    const { sql, parameters } = documentSearchPage(session.user.organisationId, TYPO, undefined, 20);
    const { rowsExamined } = await explainScans(ctx.pool, sql, parameters);
    // Matching the typo against the titles rechecks every one of them: at least TITLES rows.
    expect({ rowsExamined, bounded: rowsExamined < TITLES / 2 }).toEqual({ rowsExamined, bounded: true });
  });

  it("still finds the titles: the typo's candidates are the most recently changed titles holding the word", async () => {
    const hits = await allPages(TYPO);
    const ids = hits.map((hit) => hit.documentId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(hits.every((hit) => hit.title.startsWith('meeting '))).toBe(true);
    const ranks = hits.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const newest = await ctx.pool.query<{ id: string }>(
      `SELECT document_id AS id FROM document_search WHERE organisation_id = $1
        ORDER BY source_changed_at DESC, document_id DESC LIMIT $2`,
      [session.user.organisationId, ids.length],
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(TITLES);
    expect(new Set(ids)).toEqual(new Set(newest.rows.map((row) => row.id)));
  });

  it("adds a title's words once, whatever the redeliveries, and only for a change the version guard applied", async () => {
    const writer = new SearchIndexWriter();
    const organisationId = randomUUID();
    const change = (version: number, title: string) => ({
      documentId: '00000000-0000-4000-8000-000000000098',
      organisationId,
      version,
      title,
      body: 'body text',
      deleted: false,
      changedAt: new Date().toISOString(),
    });
    const words = async () =>
      (
        await ctx.pool.query<{ word: string }>(
          'SELECT word FROM document_search_words WHERE organisation_id = $1 ORDER BY word',
          [organisationId],
        )
      ).rows.map((row) => row.word);

    const applied = [
      await writer.apply(ctx.pool, change(2, 'Quarterly kickoff')),
      await writer.apply(ctx.pool, change(2, 'Quarterly kickoff')), // redelivered
      await writer.apply(ctx.pool, change(1, 'Obsolete heading')), // late: older than the entry
    ].map((lagSeconds) => lagSeconds !== undefined);
    expect({ applied, words: await words() }).toEqual({
      applied: [true, false, false],
      words: ['kickoff', 'quarterly'],
    });

    // A rename leaves the old title's word behind until the words are rebuilt from the titles.
    await writer.apply(ctx.pool, change(3, 'Quarterly review'));
    expect(await words()).toEqual(['kickoff', 'quarterly', 'review']);
    await rebuildSearchWords(ctx.pool);
    expect(await words()).toEqual(['quarterly', 'review']);
  });
});
