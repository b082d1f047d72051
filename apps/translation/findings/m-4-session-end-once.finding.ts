import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  CheckInTransactionSessionEnding,
  ReadThenUpdateSessionEnding,
  UnconditionalUpdateSessionEnding,
} from '../katas/m-4-session-end-read-then-update.flawed.js';
import { SESSION_EVENT_TOPICS } from '../src/events/session-events.js';
import { SessionEnding } from '../src/sessions/session-ending.js';
import { ApiClient } from './support/api-client.js';
import { holdRowLock, waitForLockWaiters } from './support/row-lock.js';
import { organiserWithLiveSession, sessionEventCount, type SessionBody } from './support/session-fixtures.js';
import { startTestApp } from './support/start-test-app.js';

/** Callers ending one session at the same moment ("End for all" pressed while others leave). */
const ENDERS = 8;

type Run = 'flawed' | 'remediated' | 'check inside a transaction' | 'status condition dropped';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: SessionEnding, useClass: ReadThenUpdateSessionEnding }],
  remediated: [],
  'check inside a transaction': [{ provide: SessionEnding, useClass: CheckInTransactionSessionEnding }],
  'status condition dropped': [{ provide: SessionEnding, useClass: UnconditionalUpdateSessionEnding }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const api = new ApiClient(testApp.url);
    const { organiser, session } = await organiserWithLiveSession(api, 'm4_organiser@example.com');

    // Hold the session row so every end is in flight before any commits; then let them all go at once.
    const lock = await holdRowLock(ctx.pool, 'sessions', session.id);
    const ends = Array.from({ length: ENDERS }, () =>
      api.call<SessionBody>('POST', `/sessions/${session.id}/end`, undefined, organiser.accessToken),
    );
    try {
      await waitForLockWaiters(ctx.pool, `${testApp.config.database.applicationName}-api`, ENDERS);
    } finally {
      await lock.release();
    }
    const answers = await Promise.all(ends);
    const endedEvents = await sessionEventCount(ctx.pool, session.id, SESSION_EVENT_TOPICS.ended);
    const endTimes = new Set(answers.map((answer) => answer.body.endedAt));
    const notOk = answers.filter((answer) => answer.status !== 200).length;
    ctx.log(`${run}: ${endedEvents} "ended" events for ${ENDERS} concurrent ends, ${notOk} non-200`);
    return {
      value: endedEvents + notOk,
      details: {
        'concurrent ends (held until all waited on the row)': ENDERS,
        '"session.ended" events committed': endedEvents,
        'answers other than 200': notOk,
        'distinct end times answered': endTimes.size,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'polyglot-a:M-4',
  title: 'Concurrent session ends race: every caller announces the end',
  explanation:
    'The design ends a session by reading ended_at and, while it is still empty, updating it and announcing the end. ' +
    'When a host presses "End for all" as participants leave, several requests read the empty ended_at before any ' +
    'of them writes, and each announces the end: duplicate "ended" broadcasts, duplicate archival and analytics jobs. ' +
    "The remedy ends a session with one conditional UPDATE (`WHERE id = $1 AND status <> 'ended'`): Postgres checks " +
    'the condition under the row lock, so exactly one caller changes the row, and only that caller writes the ' +
    '"session.ended" event, in the same transaction (outbox). Every other caller gets the ended session back with 200, ' +
    'because ending an ended session is not an error. Measured through HTTP on the real app: a test transaction holds ' +
    `the session row while ${ENDERS} POST /sessions/:id/end requests arrive, until all ${ENDERS} wait on it, then ` +
    'releases it; the value counts the "session.ended" events in the outbox plus any answer other than 200.',
  fix: ['src/sessions/session-ending.ts', 'src/sessions/sessions.sql.ts'],
  difficulty: 1,
  hints: [
    'Between reading "not ended yet" and writing "ended", another request can read the same thing.',
    'Let the database decide: make the write itself conditional on the session not being ended yet.',
    'Announce the end only when your UPDATE actually changed a row, in the same transaction.',
    'The technique: a compare-and-set UPDATE … WHERE status <> $ended RETURNING, with the event written to an outbox in that transaction.',
  ],
  seam: 'SessionEnding (Nest provider behind POST /sessions/:id/end) ← katas/m-4-session-end-read-then-update.flawed.ts ReadThenUpdateSessionEnding',
  flawsPutBack: {
    'check inside a transaction':
      'CheckInTransactionSessionEnding: the read and the write in one READ COMMITTED transaction, no lock or condition',
    'status condition dropped':
      "UnconditionalUpdateSessionEnding: the service's UPDATE without `status <> 'ended'`",
  },
  metric: {
    name: `"session.ended" events + non-200 answers for one session ended by ${ENDERS} callers at once`,
    unit: 'events',
    better: 'lower',
  },
  measure,
  flawed: (events) => events > 1,
  remediated: (events) => events === 1,
  timeoutMs: 180_000,
});
