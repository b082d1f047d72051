import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { explainScans, useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentSearchPage } from '../src/search/document-search-page.js';
import { ADD_ORGANISATION_TITLE_WORDS_SQL } from '../src/search/document-search-words.sql.js';

const ctx = useTestContext(documentsHarness);

/** A word in every document of both organisations: the large one holds ten times the small one's matches. */
const SMALL = 1_500;
const LARGE = 15_000;
/** In 40 documents of the large organisation: 20 titles, 20 bodies. */
const RARE_EVERY = 375;

interface SearchPageBody {
  data: Array<{ documentId: string; title: string; rank: number }>;
  pagination: { nextCursor: string | null };
}

/** Every match ranked, as search ranked before the candidate cap: the reference for a query with few matches. */
const EVERY_MATCH_RANKED_SQL = `
SELECT s.document_id AS "documentId"
  FROM document_search s
 WHERE s.organisation_id = $1 AND NOT s.deleted
   AND (s.search @@ websearch_to_tsquery('simple', $2) OR $2 <% s.title)
 ORDER BY round((ts_rank(s.search, websearch_to_tsquery('simple', $2)) + word_similarity($2, s.title))::numeric, 6) DESC,
          s.document_id DESC`;

/**
 * ADR 0094: a search ranks candidates, not every match. The rows a query for a word in every document reads stay
 * about the same when its matches grow tenfold; a word in few documents is still ranked exactly; and the pages of
 * a capped query are stable and complete (each candidate once).
 */
describe('search ranks a bounded set of candidates', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let small: AuthSessionBody;
  let large: AuthSessionBody;

  /** Index rows as the indexer writes them (title weight A, body B, the titles' words), newest change first by n. */
  const seed = async (organisationId: string, documents: number) => {
    await ctx.pool.query(
      `INSERT INTO document_search (document_id, organisation_id, title, search, source_version, source_changed_at)
       SELECT gen_random_uuid(), $1, d.title,
              setweight(to_tsvector('simple', d.title), 'A') || setweight(to_tsvector('simple', d.body), 'B'),
              1, now() - n * interval '1 second'
         FROM generate_series(1, $2::int) n,
              LATERAL (SELECT CASE WHEN n % ${RARE_EVERY * 2} = 0 THEN 'zephyr ' ELSE '' END
                              || (ARRAY['agenda','budget','minutes','roadmap','review'])[1 + n % 5] || ' '
                              || (ARRAY['draft','notes','plan','report'])[1 + n % 4] || ' ' || n AS title,
                              'common words of meeting ' || repeat('common ', n % 3)
                              || CASE WHEN n % ${RARE_EVERY * 2} = ${RARE_EVERY} THEN 'zephyr' ELSE '' END
                              || ' body ' || n AS body) d`,
      [organisationId, documents],
    );
    await ctx.pool.query(ADD_ORGANISATION_TITLE_WORDS_SQL, [organisationId]);
  };

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    small = await api.signup('candidates_small@example.com');
    large = await api.signup('candidates_large@example.com');
    await seed(small.user.organisationId, SMALL);
    await seed(large.user.organisationId, LARGE);
    await ctx.pool.query('ANALYZE document_search');
  }, 120_000);

  afterAll(async () => {
    await testApp.close();
  });

  const search = (session: AuthSessionBody, q: string, cursor: string | null) =>
    api.expect<SearchPageBody>(
      200,
      'GET',
      `/documents/search?q=${encodeURIComponent(q)}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      session.accessToken,
    );

  /** Every page of a query through the API, in order. */
  const allPages = async (session: AuthSessionBody, q: string) => {
    const hits: SearchPageBody['data'] = [];
    let cursor: string | null = null;
    do {
      const page = await search(session, q, cursor);
      hits.push(...page.data);
      cursor = page.pagination.nextCursor;
    } while (cursor !== null);
    return hits;
  };

  it('reads about as many rows for a word in 15,000 documents as for one in 1,500', async () => {
    const rowsRead = async (session: AuthSessionBody) => {
      const { sql, parameters } = documentSearchPage(session.user.organisationId, 'common', undefined, 20);
      return (await explainScans(ctx.pool, sql, parameters)).rowsExamined;
    };
    const fewer = await rowsRead(small);
    const tenTimesMore = await rowsRead(large);
    // Ranking every match reads each of the 15,000 at least (a scan reads both organisations' rows).
    expect({ fewer, tenTimesMore, bounded: tenTimesMore < Math.min(fewer * 1.5, LARGE / 5) }).toEqual({
      fewer,
      tenTimesMore,
      bounded: true,
    });
  });

  it('ranks every match of a rare word and of its misspelling, as ranking them all does', async () => {
    for (const q of ['zephyr', 'zephr']) {
      const exact = await ctx.pool.query<{ documentId: string }>(EVERY_MATCH_RANKED_SQL, [
        large.user.organisationId,
        q,
      ]);
      const hits = await allPages(large, q);
      expect({ q, ids: hits.map((hit) => hit.documentId) }).toEqual({
        q,
        ids: exact.rows.map((row) => row.documentId),
      });
    }
    expect((await allPages(large, 'zephyr')).length).toBe(LARGE / RARE_EVERY);
  });

  it("pages a common word's candidates best first, each once: the most recently changed matches", async () => {
    const hits = await allPages(large, 'common');
    const ids = hits.map((hit) => hit.documentId);
    expect(new Set(ids).size).toBe(ids.length);
    const ranks = hits.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const newest = await ctx.pool.query<{ id: string }>(
      `SELECT document_id AS id FROM document_search WHERE organisation_id = $1
        ORDER BY source_changed_at DESC, document_id DESC LIMIT $2`,
      [large.user.organisationId, ids.length],
    );
    expect(ids.length).toBeLessThan(LARGE);
    expect(new Set(ids)).toEqual(new Set(newest.rows.map((row) => row.id)));
  });
});
