import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import type { MigrationInterface } from 'typeorm';
import {
  CheckThenInsertJoin,
  InsertEveryJoin,
  ParticipantsWithoutUniqueKey1799999999999,
  UpsertIgnoringIdempotencyKey,
} from '../katas/m-2-duplicate-joins.flawed.js';
import { SESSION_EVENT_TOPICS } from '../src/events/session-events.js';
import { ParticipantJoins } from '../src/participants/participant-joins.js';
import { ApiClient } from './support/api-client.js';
import { migrateWith } from './support/migrate-with.js';
import { holdRowLock, waitForLockWaiters } from './support/row-lock.js';
import { organiserWithLiveSession, sessionEventCount } from './support/session-fixtures.js';
import { startTestApp } from './support/start-test-app.js';

/** One join and its replays by a reconnecting client (the design retries up to 5 times), all in flight at once. */
const REPLAYS = 6;

type Run = 'flawed' | 'remediated' | 'check then insert' | 'idempotency key ignored';

const RUNS: Record<Run, { plugs: ProviderPlug[]; migrations: (new () => MigrationInterface)[] }> = {
  flawed: {
    plugs: [{ provide: ParticipantJoins, useClass: InsertEveryJoin }],
    migrations: [ParticipantsWithoutUniqueKey1799999999999],
  },
  remediated: { plugs: [], migrations: [] },
  'check then insert': {
    plugs: [{ provide: ParticipantJoins, useClass: CheckThenInsertJoin }],
    migrations: [],
  },
  'idempotency key ignored': {
    plugs: [{ provide: ParticipantJoins, useClass: UpsertIgnoringIdempotencyKey }],
    migrations: [],
  },
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await migrateWith(ctx, RUNS[run].migrations);
  const testApp = await startTestApp(ctx, {}, { plugs: RUNS[run].plugs });
  try {
    const api = new ApiClient(testApp.url);
    const { organiser, session } = await organiserWithLiveSession(api, 'm2_organiser@example.com');
    const viewer = await api.addMember(organiser.accessToken, 'm2_viewer@example.com', 'viewer');
    const path = `/sessions/${session.id}/participants`;
    const join = (language: string, key: string) =>
      api.call('POST', path, { language }, viewer.accessToken, { 'Idempotency-Key': key });

    // The join and its replays, held on the session row (a participant's foreign key waits for it) until all are
    // in flight, then released together.
    const lock = await holdRowLock(ctx.pool, 'sessions', session.id);
    const replays = Array.from({ length: REPLAYS }, () => join('fr', 'join-1'));
    try {
      await waitForLockWaiters(ctx.pool, `${testApp.config.database.applicationName}-api`, REPLAYS);
    } finally {
      await lock.release();
    }
    const answers = await Promise.all(replays);
    // The viewer then switches to German; a late duplicate of the first join arrives after that.
    answers.push(await join('de', 'join-2'));
    answers.push(await join('fr', 'join-1'));

    const { rows } = await ctx.pool.query<{ language: string }>(
      'SELECT language FROM participants WHERE session_id = $1 AND user_id = $2',
      [session.id, viewer.user.id],
    );
    const joinedEvents = await sessionEventCount(
      ctx.pool,
      session.id,
      SESSION_EVENT_TOPICS.participantJoined,
    );
    const duplicateRows = Math.max(0, rows.length - 1);
    // Two real changes happened: the first join and the switch to German.
    const extraEvents = Math.max(0, joinedEvents - 2);
    const failedAnswers = answers.filter((answer) => answer.status !== 200).length;
    const staleLanguage = rows.some((row) => row.language !== 'de') ? 1 : 0;
    ctx.log(
      `${run}: ${rows.length} rows, ${joinedEvents} joined events, ${failedAnswers} failed, stale ${staleLanguage}`,
    );
    return {
      value: duplicateRows + extraEvents + failedAnswers + staleLanguage,
      details: {
        'joins sent (concurrent replays + switch + late replay)': `${REPLAYS} + 1 + 1`,
        'participant rows for the viewer': rows.length,
        '"participant-joined" events (2 real changes)': joinedEvents,
        'answers other than 200': failedAnswers,
        'languages on the rows after the late replay': rows.map((row) => row.language).join(', '),
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'polyglot-a:M-2',
  title: 'Replayed join_session creates duplicate participants',
  explanation:
    'Mobile clients resend join_session on every reconnect. With no unique key on (session, user) and a plain INSERT, ' +
    'each replay adds a participant row and announces a join, so counts inflate and every message is delivered and ' +
    'translated once per duplicate. The remedy: participants_pkey on (session_id, user_id) makes a second row ' +
    'impossible; the join is one INSERT … ON CONFLICT DO UPDATE that only writes when the language changes, and ' +
    'answers 200 with the participant either way (never a 409 the client would retry); the "joined" event is written ' +
    'in the same transaction only when a row was added or switched. The client sends an Idempotency-Key, remembered ' +
    '5 minutes in the non-evicting Redis: a late duplicate of an old join can then never switch the language back. ' +
    `Measured through HTTP on the real app: ${REPLAYS} copies of one join held on the session row until all are in ` +
    'flight and released together, then a switch to German and a late copy of the first join. The value adds the ' +
    'duplicate rows, the "joined" events beyond the 2 real changes, the answers other than 200, and 1 if a row is ' +
    'left in a language other than German.',
  fix: [
    'src/migrations/1791000000000-create-translation-schema.ts',
    'src/participants/participant-joins.ts',
    'src/participants/participants.sql.ts',
    'src/participants/join-keys.ts',
  ],
  difficulty: 2,
  hints: [
    'Nothing stops a second row for the same user in the same session.',
    'A unique key on (session_id, user_id), and an insert that treats the conflict as success rather than an error.',
    'A reconnecting client may replay an old join after a newer one: the client’s idempotency key tells them apart.',
    'The technique: a composite primary key, INSERT … ON CONFLICT DO UPDATE … WHERE changed, and client idempotency keys with a TTL.',
  ],
  seam: 'ParticipantJoins (Nest provider behind POST /sessions/:id/participants) ← katas/m-2-duplicate-joins.flawed.ts InsertEveryJoin, on the schema without participants_pkey (ParticipantsWithoutUniqueKey migration kata)',
  flawsPutBack: {
    'check then insert':
      'CheckThenInsertJoin: unique key kept, but SELECT-then-INSERT: concurrent replays fail on the key, a late replay switches the language',
    'idempotency key ignored':
      'UpsertIgnoringIdempotencyKey: the service’s upsert without the key check: a late replay switches the language back',
  },
  metric: {
    name: 'duplicate rows + extra "joined" events + non-200 answers + a stale language, for replayed joins',
    unit: 'effects',
    better: 'lower',
  },
  measure,
  flawed: (effects) => effects >= REPLAYS - 1,
  remediated: (effects) => effects === 0,
  timeoutMs: 180_000,
});
