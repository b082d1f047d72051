import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  ParallelProfileLookups,
  PerStreamProfileLookups,
} from '../katas/s-3-per-stream-profile-lookups.flawed.js';
import { LiveStreamList } from '../src/streams/live-stream-list.js';
import type { StreamPageDto } from '../src/streams/stream.dto.js';
import { ApiClient } from './support/api-client.js';
import { seedLiveStreams } from './support/seed-streams.js';
import { startTestApp } from './support/start-test-app.js';

const LIVE_STREAMS = 100;

type Run = 'flawed' | 'remediated' | 'look-ups in parallel';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: LiveStreamList, useClass: PerStreamProfileLookups }],
  remediated: [],
  'look-ups in parallel': [{ provide: LiveStreamList, useClass: ParallelProfileLookups }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const expected = await seedLiveStreams(ctx.pool, LIVE_STREAMS, 's3_streamer_');
  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const api = new ApiClient(testApp.url);
    const apiPools = `${testApp.config.database.applicationName}-api`;
    // The first request of the page: the live list's own cache is empty, so this is what Postgres does per page.
    const {
      result: page,
      count,
      rows,
    } = await poolStatementsDuring(apiPools, () =>
      api.expect<StreamPageDto>(200, 'GET', `/streams/live?limit=${LIVE_STREAMS}`),
    );
    const shown = page.data.map((stream) => stream.id);
    if (JSON.stringify(shown) !== JSON.stringify(expected)) {
      throw new Error(
        `${run}: the page lists ${shown.length} streams, not the ${LIVE_STREAMS} seeded in order`,
      );
    }
    const unnamed = page.data.filter((stream) => !stream.streamer.displayName.startsWith('Streamer ')).length;
    if (unnamed > 0) throw new Error(`${run}: ${unnamed} streams without their streamer's profile`);
    ctx.log(`${run}: ${count} SQL statements (${rows} rows) for a page of ${page.data.length} live streams`);
    return {
      value: count,
      details: {
        'live streams on the page': page.data.length,
        'SQL statements for the page': count,
        'rows sent back by Postgres': rows,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:S3',
  title: 'Stream list reads each streamer’s profile with its own query (N+1)',
  explanation:
    'A stream card shows the streamer’s name and avatar, and the design fetched the streams, then each streamer by id: ' +
    'a page of 100 live streams cost 101 queries. The remedy joins profiles into the page’s own keyset query ' +
    '(streams_live_started_idx, the profile by primary key), so a page is one statement whatever its size. Measured ' +
    'through HTTP: GET /streams/live?limit=100 over 100 seeded live streams on the real app with an empty list cache, ' +
    'counting the statements its API pool finished while the request ran.',
  fix: ['src/streams/live-stream-list.ts', 'src/streams/stream.sql.ts'],
  difficulty: 1,
  hints: [
    'Count the queries one page of the live list sends to Postgres.',
    'Each stream’s streamer is read on its own, after the streams: one page, a hundred more round trips.',
    'Sending those look-ups at once shortens the wait, not the work: the database still runs each one.',
    'The technique: join the profile into the page query (or batch the look-ups by id), so a page is one statement.',
  ],
  seam: 'LiveStreamList (Nest provider under the live list) ← katas/s-3-per-stream-profile-lookups.flawed.ts PerStreamProfileLookups',
  flawsPutBack: {
    'look-ups in parallel':
      'LiveStreamList ← ParallelProfileLookups: the per-stream profile queries sent all at once (Promise.all)',
  },
  metric: {
    name: `SQL statements for one page of ${LIVE_STREAMS} live streams`,
    unit: 'statements',
    better: 'lower',
  },
  measure,
  flawed: (statements) => statements > LIVE_STREAMS,
  remediated: (statements) => statements === 1,
});
