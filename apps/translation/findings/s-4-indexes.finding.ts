import { poolStatementsDuring, type QueryEvent } from '@remedy/pooling';
import {
  defineFinding,
  describeScans,
  executedScans,
  explainScans,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import type { MigrationInterface } from 'typeorm';
import {
  ReviewedSchemaWithoutIndexes1799999999999,
  WithoutGlossaryPairKey1799999999999,
} from '../katas/s-4-schema-without-indexes.flawed.js';
import { ApiClient } from './support/api-client.js';
import { migrateWith } from './support/migrate-with.js';
import { seedDirectory, type DirectorySize } from './support/seed-directory.js';
import { startTestApp } from './support/start-test-app.js';

const SIZE: DirectorySize = {
  organisations: 100,
  sessionsPerOrganisation: 50,
  viewers: 100,
  sessionsWithParticipants: 200,
  termsPerGlossary: 10,
};

type Run = 'flawed' | 'remediated' | 'glossaries_pair_key dropped';

const EXTRA_MIGRATIONS: Record<Run, (new () => MigrationInterface)[]> = {
  flawed: [ReviewedSchemaWithoutIndexes1799999999999],
  remediated: [],
  'glossaries_pair_key dropped': [WithoutGlossaryPairKey1799999999999],
};

/** One hot read path: the request that drives it, the statement to judge, and the index made for it. */
interface HotPath {
  name: string;
  path: string;
  statement: RegExp;
  relation: string;
  index: string;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await migrateWith(ctx, EXTRA_MIGRATIONS[run]);
  const testApp = await startTestApp(ctx);
  try {
    const api = new ApiClient(testApp.url);
    const organiser = await api.signup('s4_organiser@example.com');
    await seedDirectory(ctx.pool, organiser.user.organisationId, SIZE);
    const { rows } = await ctx.pool.query<{ id: string }>(
      'SELECT id FROM sessions WHERE organisation_id = $1 ORDER BY created_at DESC LIMIT 1',
      [organiser.user.organisationId],
    );
    const sessionId = rows[0]?.id;
    if (!sessionId) throw new Error('the seed made no session for the measured organisation');

    const hotPaths: HotPath[] = [
      {
        name: "a session's target languages (the participant language map)",
        path: `/sessions/${sessionId}/languages`,
        statement: /FROM participants WHERE session_id = \$1 GROUP BY language/,
        relation: 'participants',
        index: 'participants_pkey',
      },
      {
        name: "a session's participants, first page",
        path: `/sessions/${sessionId}/participants?limit=100`,
        statement: /FROM participants p WHERE p\.session_id = \$1/,
        relation: 'participants',
        index: 'participants_pkey',
      },
      {
        name: "an organisation's sessions, first page",
        path: '/sessions?limit=100',
        statement: /FROM sessions s WHERE s\.organisation_id = \$1/,
        relation: 'sessions',
        index: 'sessions_organisation_created_idx',
      },
      {
        name: "an organisation's glossary for en → ja",
        path: '/glossaries/lookup?sourceLanguage=en&targetLanguage=ja',
        statement: /g\.source_language = \$2 AND g\.target_language = \$3/,
        relation: 'glossaries',
        index: 'glossaries_pair_key',
      },
      {
        name: "that glossary's terms",
        path: '/glossaries/lookup?sourceLanguage=en&targetLanguage=ja',
        statement: /g\.source_language = \$2 AND g\.target_language = \$3/,
        relation: 'glossary_terms',
        index: 'glossary_terms_pkey',
      },
    ];

    const details: Record<string, string | number> = {};
    let missed = 0;
    for (const hot of hotPaths) {
      const { statements } = await poolStatementsDuring(
        `${testApp.config.database.applicationName}-api`,
        () => api.expect(200, 'GET', hot.path, undefined, organiser.accessToken),
      );
      const statement = statements.find((candidate: QueryEvent) => hot.statement.test(candidate.sql));
      if (!statement)
        throw new Error(`${hot.name}: the app ran no statement matching ${String(hot.statement)}`);
      const values = [...(statement.values ?? [])];
      const scans = (await executedScans(ctx.pool, statement.sql, values)).filter(
        (scan) => scan.relation === hot.relation,
      );
      const { rowsExamined } = await explainScans(ctx.pool, statement.sql, values);
      const served = scans.length > 0 && scans.every((scan) => scan.index === hot.index);
      if (!served) missed += 1;
      details[hot.name] = `${describeScans(scans)}; ${rowsExamined} rows examined`;
    }
    ctx.log(`${run}: ${missed} of ${hotPaths.length} hot queries off their index`);
    return { value: missed, details };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'polyglot-a:S-4',
  alsoCovers: ['polyglot-b:C-3'],
  title: 'No indexes on the hot query paths: participants, sessions and glossaries are scanned whole',
  explanation:
    'The reviewed data model defines primary and foreign keys only, so the queries the service makes on every ' +
    'message and request — the languages a session is followed in, its participants, an organisation’s sessions, ' +
    'the glossary for a language pair and its terms — read whole tables and grow with every organisation on the ' +
    'platform. The remedy gives each its index: participants keyed by (session_id, user_id) INCLUDE (language), so ' +
    'the language map is an index-only scan and a duplicate join is impossible; (organisation_id, created_at DESC, ' +
    'id DESC) for the keyset list of sessions; the unique (organisation_id, source_language, target_language) for ' +
    'the glossary look-up; (glossary_id, source_term) for its terms. Measured on 100 organisations, 5,000 sessions, ' +
    '20,000 participants, 2,000 glossaries and 20,000 terms: the real app serves each hot path through HTTP, and ' +
    'each statement it ran is re-run under EXPLAIN ANALYZE with its own parameters; the value counts the hot ' +
    'queries whose scan of their table did not use the index made for them. Translation history, the review’s ' +
    'largest table, gets its (session_id, translated_at DESC) index with the history feature (polyglot-a:C-1).',
  fix: [
    'src/migrations/1791000000000-create-translation-schema.ts',
    'src/participants/participants.sql.ts',
    'src/sessions/sessions.sql.ts',
    'src/glossaries/glossaries.sql.ts',
  ],
  difficulty: 1,
  hints: [
    'Look at the plan of the session-languages query on a big participants table: how many rows does it read?',
    'An index whose leading column is the filter lets Postgres jump to one session, one organisation, one language pair.',
    'Carry the columns a query returns in the index (INCLUDE), and the keyset order after the filter column.',
    'The technique: composite B-tree indexes matching each hot query’s WHERE and ORDER BY, checked with EXPLAIN.',
  ],
  seam: 'the migration set: katas/s-4-schema-without-indexes.flawed.ts applied after the app’s migrations turns the schema back into the review’s (primary and foreign keys only)',
  flawsPutBack: {
    'glossaries_pair_key dropped':
      'WithoutGlossaryPairKey: the glossary pair key alone is missing; the look-up falls back to a scan',
  },
  metric: {
    name: 'hot queries not served by the index made for them (of 5)',
    unit: 'queries',
    better: 'lower',
  },
  measure,
  flawed: (missed) => missed >= 4,
  remediated: (missed) => missed === 0,
  timeoutMs: 240_000,
});
