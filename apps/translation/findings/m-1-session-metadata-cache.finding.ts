import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NeverReplacedSessionCache,
  NoSessionCache,
  PerInstanceSessionCache,
} from '../katas/m-1-uncached-session-metadata.flawed.js';
import { SessionCache } from '../src/sessions/session-cache.js';
import { ApiClient } from './support/api-client.js';
import { organiserWithLiveSession, type SessionBody } from './support/session-fixtures.js';
import { startTestApp } from './support/start-test-app.js';

const READS = 200;
const READS_SESSIONS = /\bFROM sessions\b/;

type Run = 'flawed' | 'remediated' | 'never replaced on end' | 'cache per instance';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: SessionCache, useClass: NoSessionCache }],
  remediated: [],
  'never replaced on end': [{ provide: SessionCache, useClass: NeverReplacedSessionCache }],
  'cache per instance': [{ provide: SessionCache, useClass: PerInstanceSessionCache }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // Two API instances on the same database and Redis, as behind a load balancer.
  const instanceA = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  const instanceB = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const a = new ApiClient(instanceA.url);
    const b = new ApiClient(instanceB.url);
    const { organiser, session } = await organiserWithLiveSession(a, 'm1_organiser@example.com');
    const viewer = await a.addMember(organiser.accessToken, 'm1_viewer@example.com', 'viewer');
    const sessionPath = `/sessions/${session.id}`;
    const apiPools = `${instanceA.config.database.applicationName}-api`;

    // One request at a time, so the statements the API pools finish in a request's window are its own.
    let repeatedFromPostgres = 0;
    let sessionStatements = 0;
    for (let read = 0; read < READS; read += 1) {
      const client = read % 2 === 0 ? a : b;
      const { statements } = await poolStatementsDuring(apiPools, () =>
        client.expect(200, 'GET', sessionPath, undefined, viewer.accessToken),
      );
      const fromSessions = statements.filter((statement) => READS_SESSIONS.test(statement.sql)).length;
      sessionStatements += fromSessions;
      if (fromSessions > 0 && read > 0) repeatedFromPostgres += 1;
    }

    // The organiser ends the session through instance B; viewers on both instances must see it ended at once.
    await b.expect(200, 'POST', `${sessionPath}/end`, undefined, organiser.accessToken);
    let staleReads = 0;
    for (const client of [a, b]) {
      const seen = await client.expect<SessionBody>(200, 'GET', sessionPath, undefined, viewer.accessToken);
      if (seen.status !== 'ended') staleReads += 1;
    }
    ctx.log(
      `${run}: ${repeatedFromPostgres} of ${READS - 1} repeated reads from Postgres, ${staleReads} stale`,
    );
    return {
      value: repeatedFromPostgres + staleReads,
      details: {
        'session look-ups (alternating two instances)': READS,
        'statements reading sessions for them': sessionStatements,
        'repeated look-ups served by Postgres': repeatedFromPostgres,
        'look-ups still "live" after the end (instance A, instance B)': staleReads,
      },
    };
  } finally {
    await instanceA.close();
    await instanceB.close();
  }
}

export default defineFinding({
  id: 'polyglot-b:M-1',
  title: 'Session metadata not cached: every look-up reads Postgres',
  explanation:
    'Every chat message, caption and join looks up its session (is it live, which organisation, which source ' +
    'language), and the design leaves the "Session Cache" unspecified, so each look-up is a query. The remedy keeps ' +
    'session metadata cache-aside in the shared cache Redis (key `session:{<id>}`, 1 h TTL): a miss loads the row ' +
    'and stores it with SET NX; a start or an end, after its commit, overwrites the entry with the committed row, so ' +
    'every instance sees the end at once and a read that loaded the row just before the end cannot store the old ' +
    `copy over it. Measured through HTTP on two instances of the real app: ${READS} GET /sessions/:id alternating ` +
    'between them, counting the statements on sessions the API pools finish per request, then an end through one ' +
    'instance and a read through each. The value adds the repeated look-ups that reached Postgres and the reads that ' +
    'still showed the session live.',
  fix: ['src/sessions/session-cache.ts', 'src/sessions/sessions.service.ts'],
  difficulty: 1,
  hints: [
    'The same session is looked up for every message, and every look-up is a query.',
    'Keep the session in Redis and read it from there first.',
    'An end must reach every instance: overwrite the shared entry after the commit, do not keep it in process memory.',
    'The technique: cache-aside in a shared Redis with a TTL, written through on the state changes that matter.',
  ],
  seam: 'SessionCache (Nest provider under SessionsService) ← katas/m-1-uncached-session-metadata.flawed.ts NoSessionCache',
  flawsPutBack: {
    'never replaced on end': 'NeverReplacedSessionCache: cached, but an end never replaces the entry',
    'cache per instance':
      "PerInstanceSessionCache: each instance's memory, replaced only on the instance that handled the end",
  },
  metric: {
    name: `repeated session look-ups served by Postgres (of ${READS - 1}) + reads still live after the end (of 2)`,
    unit: 'reads',
    better: 'lower',
  },
  measure,
  flawed: (reads) => reads >= READS / 2,
  remediated: (reads) => reads === 0,
  timeoutMs: 180_000,
});
