import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NeverForgettingProfileCache,
  NoProfileCache,
  PerInstanceProfileCache,
} from '../katas/m-4-uncached-profiles.flawed.js';
import { ProfileCache } from '../src/profiles/profile.cache.js';
import type { ProfileDto } from '../src/profiles/profile.dto.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';

const READS = 200;

type Run = 'flawed' | 'remediated' | 'invalidation missing' | 'cache per instance';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: ProfileCache, useClass: NoProfileCache }],
  remediated: [],
  'invalidation missing': [{ provide: ProfileCache, useClass: NeverForgettingProfileCache }],
  'cache per instance': [{ provide: ProfileCache, useClass: PerInstanceProfileCache }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // Two API instances on the same database and Redis, as behind a load balancer.
  const [instanceA, instanceB] = [
    await startTestApp(ctx, {}, { plugs: PLUGS[run] }),
    await startTestApp(ctx, {}, { plugs: PLUGS[run] }),
  ];
  try {
    const a = new ApiClient(instanceA.url);
    const b = new ApiClient(instanceB.url);
    const streamer = await a.signup('m4_streamer@example.com');
    const viewer = await a.signup('m4_viewer@example.com');
    const profilePath = `/users/${streamer.user.id}/profile`;
    const apiPools = `${instanceA.config.database.applicationName}-api`;

    // One request at a time, so the statements the API pools finish in a request's window are its own.
    let repeatedFromPostgres = 0;
    let statements = 0;
    for (let read = 0; read < READS; read += 1) {
      const client = read % 2 === 0 ? a : b;
      const { count } = await poolStatementsDuring(apiPools, () =>
        client.expect(200, 'GET', profilePath, undefined, viewer.accessToken),
      );
      statements += count;
      if (count > 0 && read > 0) repeatedFromPostgres += 1;
    }

    // The streamer renames through instance B; viewers on both instances must see the new name at once.
    const renamed = 'Renamed Streamer';
    await b.expect(200, 'PATCH', '/me/profile', { displayName: renamed }, streamer.accessToken);
    let staleReads = 0;
    for (const client of [a, b]) {
      const seen = await client.expect<ProfileDto>(200, 'GET', profilePath, undefined, viewer.accessToken);
      if (seen.displayName !== renamed) staleReads += 1;
    }
    ctx.log(
      `${run}: ${repeatedFromPostgres} of ${READS - 1} repeated reads from Postgres, ${staleReads} stale`,
    );
    return {
      value: repeatedFromPostgres + staleReads,
      details: {
        'profile reads (alternating two instances)': READS,
        'SQL statements for the reads': statements,
        'repeated reads served by Postgres': repeatedFromPostgres,
        'stale reads after an update (instance A, instance B)': staleReads,
      },
    };
  } finally {
    await instanceA.close();
    await instanceB.close();
  }
}

export default defineFinding({
  id: 'livestream:M4',
  title: 'User profiles read from Postgres on every lookup',
  explanation:
    'Names and avatars appear beside every stream, follow-list entry and chat message, so the same profiles are read ' +
    'over and over, and each read was a query. The remedy reads profiles cache-aside from the cache Redis (key ' +
    "`profile:{<id>}`, 1 h TTL) and, after an update commits, bumps the profile's version so no instance accepts the " +
    'old entry, nor one a slow read stores late. The entry lives only in Redis, which every ' +
    'API instance shares, so one bump invalidates it everywhere. Measured through HTTP on two instances of the real ' +
    'app (200 reads of one profile, alternating between them, counting the statements the API pools finish per request), ' +
    'then a rename through one instance and a read through each: the value adds the repeated reads that reached ' +
    'Postgres and the reads that still showed the old name.',
  fix: ['src/profiles/profile.cache.ts', 'src/profiles/profiles.service.ts'],
  difficulty: 1,
  hints: [
    'The same profile is read hundreds of times between two changes, and every read is a query.',
    'Keep profiles in Redis and read them from there first; drop the entry when the profile changes.',
    'Keep the cached copy where every instance reads it, or an update on one instance leaves the others stale.',
    'The technique: cache-aside in a shared Redis with a TTL, invalidated after the commit (a version bump, so late fills cannot bring old data back).',
  ],
  seam: 'ProfileCache (Nest provider under ProfilesService) ← katas/m-4-uncached-profiles.flawed.ts NoProfileCache',
  flawsPutBack: {
    'invalidation missing':
      'ProfileCache ← NeverForgettingProfileCache: cached, but an update never drops the entry',
    'cache per instance':
      "ProfileCache ← PerInstanceProfileCache: each instance's memory, dropped only on the instance that took the update",
  },
  metric: {
    name: `repeated profile reads served by Postgres (of ${READS - 1}) + stale reads after an update (of 2)`,
    unit: 'reads',
    better: 'lower',
  },
  measure,
  flawed: (reads) => reads >= READS / 2,
  remediated: (reads) => reads === 0,
});
