import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  TieBreakerDroppedFollowListQueries,
  UnboundedFollowListQueries,
} from '../katas/c-3-unbounded-follow-lists.flawed.js';
import { FOLLOW_LIST_PAGE_SIZES } from '../src/follows/follow-list.policy.js';
import { FollowListQueries } from '../src/follows/follow-list.queries.js';
import type { FollowPageDto } from '../src/follows/follow-page.dto.js';
import { ApiClient } from './support/api-client.js';
import { seedFollowers, seedMembers } from './support/seed-followers.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

const FOLLOWERS = 100_000;
/** Follows made in the same microsecond, in groups of this size (not a divisor of the page size). */
const TIE_SIZE = 7;
/** What the remedy promises: at most 100 a page, fetched as 100 + 1 rows (the +1 tells hasMore). */
const PAGE_CAP = 100;
const ABSURD_LIMIT = 100_000;
/** The walk: pages of 100 until this many of the original followers are seen, a new follow before each page. */
const WALK_FOLLOWERS = 2_000;
const NEW_FOLLOWS_PER_PAGE = 5;

type Run = 'flawed' | 'remediated' | 'max page size of 100000' | 'tie-breaker dropped';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: FollowListQueries, useClass: UnboundedFollowListQueries }],
  remediated: [],
  'max page size of 100000': [
    { provide: FOLLOW_LIST_PAGE_SIZES, useValue: { defaultLimit: ABSURD_LIMIT, maxLimit: ABSURD_LIMIT } },
  ],
  'tie-breaker dropped': [{ provide: FollowListQueries, useClass: TieBreakerDroppedFollowListQueries }],
};

interface ListRequest {
  status: number;
  /** Rows the API's pg clients received while the request ran. */
  pgRows: number;
  page: FollowPageDto | undefined;
  bytes: number;
}

async function getList(testApp: TestApp, path: string, token: string): Promise<ListRequest> {
  // One request at a time: the API pools' statements in a request's window are that request's.
  const { result, rows } = await poolStatementsDuring(
    `${testApp.config.database.applicationName}-api`,
    async () => {
      const response = await fetch(`${testApp.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: await response.text() };
    },
  );
  if (result.status !== 200 && result.status !== 400) {
    throw new Error(`GET ${path} answered ${result.status}: ${result.body}`);
  }
  return {
    status: result.status,
    pgRows: rows,
    page: result.status === 200 ? (JSON.parse(result.body) as FollowPageDto) : undefined,
    bytes: Buffer.byteLength(result.body),
  };
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // The measure is rows on the wire, not time: the flawed list of 100,000 must come back whole even when the
  // machine is busy (it ran past the 3-s production statement timeout beside two other test files).
  const testApp = await startTestApp(ctx, { DB_STATEMENT_TIMEOUT_MS: '60000' }, { plugs: PLUGS[run] });
  try {
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('c3_streamer@example.com');
    const viewer = await api.signup('c3_viewer@example.com');
    const listOrder = await seedFollowers(ctx.pool, streamer.user.id, {
      count: FOLLOWERS,
      tieSize: TIE_SIZE,
      emailPrefix: 'c3_f',
    });
    // Enough newcomers for every page of the walk (20 pages + the page a tie-breaker bug adds).
    const latecomers = await seedMembers(ctx.pool, 25 * NEW_FOLLOWS_PER_PAGE, 'c3_late');
    ctx.log(`${run}: seeded ${FOLLOWERS} followers`);
    const followers = `/users/${streamer.user.id}/followers`;

    const noLimit = await getList(testApp, followers, viewer.accessToken);
    const absurd = await getList(testApp, `${followers}?limit=${ABSURD_LIMIT}`, viewer.accessToken);

    // A client pages through the list while people keep following: each page must continue exactly where
    // the last one ended among the followers that were there when it started.
    const rank = new Map(listOrder.map((id, index) => [id, index]));
    const seen: string[] = [];
    let mostRowsPerPage = 0;
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      for (const id of latecomers.slice(pages * NEW_FOLLOWS_PER_PAGE, (pages + 1) * NEW_FOLLOWS_PER_PAGE)) {
        await ctx.pool.query(`INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)`, [
          id,
          streamer.user.id,
        ]);
      }
      const path: string = `${followers}?limit=${PAGE_CAP}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const listed = await getList(testApp, path, viewer.accessToken);
      if (!listed.page) throw new Error(`a page of ${PAGE_CAP} was refused: ${listed.status}`);
      pages += 1;
      mostRowsPerPage = Math.max(mostRowsPerPage, listed.pgRows, listed.page.data.length);
      seen.push(...listed.page.data.map((entry) => entry.userId).filter((id) => rank.has(id)));
      cursor = listed.page.pagination.nextCursor;
      if (cursor === null || new Set(seen).size >= WALK_FOLLOWERS) break;
    }
    const distinct = new Set(seen);
    const duplicates = seen.length - distinct.size;
    const furthest = Math.max(...[...distinct].map((id) => rank.get(id) ?? 0));
    const skipped = furthest + 1 - distinct.size;

    const mostRows = Math.max(
      mostRowsPerPage,
      ...[noLimit, absurd].map((request) => Math.max(request.pgRows, request.page?.data.length ?? 0)),
    );
    // A walk that repeats or loses followers cannot be trusted: the client must fetch the whole list instead.
    const value = duplicates + skipped > 0 ? Math.max(mostRows, FOLLOWERS) : mostRows;
    return {
      value,
      details: {
        'no limit: rows at pg / in body': `${noLimit.pgRows} / ${noLimit.page?.data.length ?? 0}`,
        'no limit: response bytes': noLimit.bytes,
        [`limit=${ABSURD_LIMIT}: status, rows at pg`]: `${absurd.status}, ${absurd.pgRows}`,
        [`walk under inserts: pages, followers seen`]: `${pages}, ${distinct.size}`,
        'walk: duplicated / skipped followers': `${duplicates} / ${skipped}`,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:C3',
  title: 'Follower and following lists returned whole',
  explanation:
    "GET /users/:id/followers returned every follower, so one request for a popular streamer's list moved 100,000 rows " +
    '(megabytes of JSON) through the app and the client. The remedy pages both follow lists by keyset: newest follow ' +
    'first with the other user as tie-breaker, an opaque cursor bound to the list it came from, 20 a page by default ' +
    'and at most 100 (a larger limit is a 400), each page one index range scan however deep. Because the cursor names ' +
    'the last row seen, follows made while a client pages never shift the rows after it. Measured through HTTP on the ' +
    'real app with a 100,000-follower streamer: a request with no limit and one with limit=100000, counting the rows ' +
    'the API pools received and the rows in the body; then a walk of 2,000 followers in pages of 100 with 5 new follows ' +
    'before each page. The value is the most rows one request moved; a walk that repeated or skipped a follower counts ' +
    'as the whole list, since the client would have to fetch it all to be sure.',
  fix: [
    'src/follows/follow-list.queries.ts',
    'src/follows/follow-list.policy.ts',
    'src/follows/follow-list.sql.ts',
    'src/follows/follow-page-query.dto.ts',
  ],
  difficulty: 2,
  hints: [
    'How many rows does one request move when a streamer has 100,000 followers? It should not depend on that number.',
    'Give the list a default page size and a maximum the client cannot raise, and hand back where the next page starts.',
    'Page by the sort key (follow time, then the follower id to break ties) rather than OFFSET, so new follows never shift a page.',
    'The technique: keyset (cursor) pagination with a bounded LIMIT and a unique tie-breaker (libs/pagination).',
  ],
  seam: 'FollowListQueries (Nest provider behind the follow-list routes) ← katas/c-3-unbounded-follow-lists.flawed.ts UnboundedFollowListQueries; the FOLLOW_LIST_PAGE_SIZES provider',
  flawsPutBack: {
    'max page size of 100000': `FOLLOW_LIST_PAGE_SIZES = { default ${ABSURD_LIMIT}, max ${ABSURD_LIMIT} }: the list comes back whole again`,
    'tie-breaker dropped':
      'FollowListQueries ← TieBreakerDroppedFollowListQueries: the seek compares the follow time alone, so ties at a page boundary are skipped',
  },
  metric: {
    name: 'most follower rows one request moved (at the pg client or in the body); an unstable walk counts as the whole list',
    unit: 'rows',
    better: 'lower',
  },
  measure,
  flawed: (rows) => rows >= FOLLOWERS,
  remediated: (rows) => rows <= PAGE_CAP + 1,
  timeoutMs: 180_000,
});
