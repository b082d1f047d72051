import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NeverInvalidatedLiveList,
  UncacheableLiveList,
  ValidatorOnlyLiveList,
} from '../katas/m-5-uncacheable-live-list.flawed.js';
import { LiveListRepresentations } from '../src/streams/live-list.representations.js';
import type { StreamDto, StreamPageDto } from '../src/streams/stream.dto.js';
import { ApiClient } from './support/api-client.js';
import { seedLiveStreams } from './support/seed-streams.js';
import { startTestApp } from './support/start-test-app.js';

const LIVE_STREAMS = 100;
const REPEATS = 50;
const LIST_PATH = `/streams/live?limit=${LIVE_STREAMS}`;

type Run = 'flawed' | 'remediated' | 'validator without a cache' | 'cache never invalidated';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: LiveListRepresentations, useClass: UncacheableLiveList }],
  remediated: [],
  'validator without a cache': [{ provide: LiveListRepresentations, useClass: ValidatorOnlyLiveList }],
  'cache never invalidated': [{ provide: LiveListRepresentations, useClass: NeverInvalidatedLiveList }],
};

interface ListResponse {
  status: number;
  bytes: number;
  etag: string | null;
  cacheControl: string | null;
  text: string;
}

async function getList(baseUrl: string, etag: string | null): Promise<ListResponse> {
  const response = await fetch(`${baseUrl}${LIST_PATH}`, {
    headers: etag === null ? {} : { 'if-none-match': etag },
  });
  const text = await response.text();
  return {
    status: response.status,
    bytes: Buffer.byteLength(text),
    etag: response.headers.get('etag'),
    cacheControl: response.headers.get('cache-control'),
    text,
  };
}

/** What a CDN needs to keep the list and revalidate it: a shared-cache lifetime and a strong validator. */
function cdnCacheable(response: ListResponse): boolean {
  return (
    /\bpublic\b/.test(response.cacheControl ?? '') &&
    /\bs-maxage=\d+/.test(response.cacheControl ?? '') &&
    response.etag !== null &&
    !response.etag.startsWith('W/')
  );
}

function describeEtag(etag: string | null): string {
  if (etag === null) return 'none';
  return etag.startsWith('W/') ? 'weak' : 'strong';
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await seedLiveStreams(ctx.pool, LIVE_STREAMS, 'm5_streamer_');
  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const apiPools = `${testApp.config.database.applicationName}-api`;
    const first = await getList(testApp.url, null);
    if (first.status !== 200) throw new Error(`${run}: first GET ${LIST_PATH} answered ${first.status}`);

    // A client (a browser, or a CDN revalidating) repeats the request with the validator it was given.
    let costly = 0;
    let statements = 0;
    let bytes = 0;
    let notModified = 0;
    let etag = first.etag;
    for (let repeat = 0; repeat < REPEATS; repeat += 1) {
      const { result: response, count } = await poolStatementsDuring(apiPools, () =>
        getList(testApp.url, etag),
      );
      etag = response.etag ?? etag;
      statements += count;
      bytes += response.bytes;
      if (response.status === 304) notModified += 1;
      if (count > 0 || response.bytes > 0 || !cdnCacheable(response)) costly += 1;
    }

    // A streamer goes live: the next request, even with the old validator, must list the new stream first.
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('m5_new_streamer@example.com');
    const started = await api.expect<StreamDto>(
      201,
      'POST',
      '/streams',
      { title: 'Just started', category: 'music' },
      streamer.accessToken,
    );
    const after = await getList(testApp.url, etag);
    const fresh =
      after.status === 200 && (JSON.parse(after.text) as StreamPageDto).data[0]?.id === started.id;
    const stale = fresh ? 0 : 1;

    ctx.log(
      `${run}: ${REPEATS} conditional repeats → ${notModified} × 304, ${statements} SQL statements, ` +
        `${bytes} body bytes; list fresh after a go-live: ${fresh}`,
    );
    return {
      value: costly + stale,
      details: {
        'first response (bytes, Cache-Control, ETag)': `${first.bytes}, ${first.cacheControl ?? 'none'}, ${describeEtag(first.etag)}`,
        'conditional repeats': REPEATS,
        '304 answers': notModified,
        'SQL statements for the repeats': statements,
        'body bytes sent for the repeats': bytes,
        'repeats that ran SQL, resent the body or were not CDN-cacheable': costly,
        'stale lists after a stream started': stale,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:M5',
  title: 'Stream list responses are not cacheable by the CDN or the browser',
  explanation:
    'The live list is the busiest read and the same for every viewer, yet the design sent it with no Cache-Control ' +
    'or validator, so each request ran its query and sent the whole page again. The remedy makes it a public, ' +
    'CDN-cacheable representation (Cache-Control: public, max-age=0, s-maxage=30, stale-while-revalidate=30; a strong ' +
    'ETag, the hash of the exact bytes), answers a matching If-None-Match with 304 and no body, and keeps each page ' +
    'in the cache Redis for 30 s under a version that every go-live and end bumps. Measured through HTTP on the real ' +
    'app with 100 live streams: 50 repeats of GET /streams/live?limit=100 with the ETag of the previous answer ' +
    '(SQL statements of the API pool, body bytes, headers), then a new stream and one more conditional GET that ' +
    'must list it. The value counts repeats that ran SQL, resent the body or lacked CDN headers, plus a stale list.',
  fix: [
    'src/streams/live-list.representations.ts',
    'src/streams/streams.controller.ts',
    'src/streams/streams.service.ts',
  ],
  difficulty: 2,
  hints: [
    'Every viewer asks for the same live list many times a minute; what does each request cost the API and Postgres?',
    'Tell shared caches how long they may keep the list, and give clients a validator so an unchanged list costs no body.',
    'A validator computed from a fresh query still costs the query: keep the rendered page in Redis, and replace it when a stream starts or ends.',
    'The technique: Cache-Control with s-maxage, a strong ETag with 304 on If-None-Match, and a versioned server-side cache.',
  ],
  seam: 'LiveListRepresentations (Nest provider behind GET /streams/live) ← katas/m-5-uncacheable-live-list.flawed.ts UncacheableLiveList',
  flawsPutBack: {
    'validator without a cache':
      'LiveListRepresentations ← ValidatorOnlyLiveList: headers, ETag and 304s, but each request re-runs the query',
    'cache never invalidated':
      'LiveListRepresentations ← NeverInvalidatedLiveList: cached and versioned, but a go-live never bumps the version',
  },
  metric: {
    name: `conditional repeats (of ${REPEATS}) that ran SQL, resent the body or lacked CDN headers + stale lists after a go-live`,
    unit: 'requests',
    better: 'lower',
  },
  measure,
  flawed: (requests) => requests >= REPEATS,
  remediated: (requests) => requests === 0,
});
