import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import type pg from 'pg';
import {
  CheckInTransactionRegisterService,
  CountThenInsertRegisterService,
  LockCountedRowsRegisterService,
  type Registrar,
} from '../katas/c-1-capacity-check.flawed.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import { RegisterService } from '../src/registrations/register.service.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

const SEATS = 10;
const CALLERS = 500;
const POOL_MAX = 20;

interface SeatCount {
  registered: number;
  waitlisted: number;
  remaining: number;
}

async function seatCount(ctx: FindingContext, eventId: string): Promise<SeatCount> {
  const { rows } = await ctx.pool.query<SeatCount>(
    `SELECT count(*) FILTER (WHERE r.status = 'registered')::int AS registered,
            count(*) FILTER (WHERE r.status = 'waitlisted')::int AS waitlisted,
            (SELECT remaining_capacity FROM events WHERE id = $1) AS remaining
       FROM registrations r WHERE r.event_id = $1`,
    [eventId],
  );
  return rows[0]!;
}

type Run = 'flawed' | 'remediated' | 'check inside a transaction' | 'lock the counted rows';

const REGISTRARS: Record<Exclude<Run, 'remediated'>, new (pool: pg.Pool) => Registrar> = {
  flawed: CountThenInsertRegisterService,
  'check inside a transaction': CheckInTransactionRegisterService,
  'lock the counted rows': LockCountedRowsRegisterService,
};

/** RegisterService replaced by the run's registrar (the remediated run keeps the service's own). */
function plugsFor(run: Run): ProviderPlug[] {
  if (run === 'remediated') return [];
  const Registrar = REGISTRARS[run];
  return [
    { provide: RegisterService, inject: [PRIMARY_POOL], useFactory: (pool: pg.Pool) => new Registrar(pool) },
  ];
}

/** Sessions of the app's pool waiting on a lock (the holder's, or another caller's row lock). */
async function waitingOnLocks(ctx: FindingContext, applicationName: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
    [applicationName],
  );
  return rows[0]!.n;
}

/**
 * Callers the app holds before they reach the database: in its pool's queue, and in RegisterService's
 * batches (the service writes the callers of one event with one statement at a time; a registrar plugged
 * in its place has no batches).
 */
function queuedInApp(testApp: TestApp): number {
  const pool = testApp.app.get<symbol, pg.Pool>(PRIMARY_POOL, { strict: false });
  const registrar: Partial<Pick<RegisterService, 'waitingCalls'>> = testApp.app.get(RegisterService);
  return pool.waitingCount + (registrar.waitingCalls ?? 0);
}

/** How long the callers may take to line up behind the held lock (and so wait for a pooled connection). */
const LINE_UP_TIMEOUT_MS = 60_000;

/**
 * Every caller POSTs at once; a 201 is a seat or a waitlist place, a 409 "Event is full" a refusal.
 * The overlap is held, not hoped for: a session holds registrations in SHARE mode (reads pass, inserts wait)
 * until every caller waits, on a lock or in the app's queues, so a first wave of POOL_MAX callers of a
 * one-statement-per-call registrar has read the event before any of them could write; then it lets go.
 * Both runs go through exactly this.
 */
async function registerAll(ctx: FindingContext, run: Run, eventId: string, users: string[]): Promise<number> {
  // The longest wait for a connection the config allows, as long as the wait below for every caller to line up:
  // this proof is about seats, and a loaded machine (a fresh-clone run beside other work took over 15 s to line
  // up 500 callers) should not turn the fail-fast pool's 503s (events:S-4's business) into a failed capacity proof.
  const testApp = await startTestApp(
    ctx,
    { DB_POOL_MAX: String(POOL_MAX), DB_CONNECTION_TIMEOUT_MS: String(LINE_UP_TIMEOUT_MS) },
    { plugs: plugsFor(run) },
  );
  const holder = await ctx.pool.connect();
  try {
    const tokens = await accessTokensFor(testApp, users);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE registrations IN SHARE MODE');
    const responses = Promise.all(
      tokens.map(async (token) => {
        const response = await fetch(`${testApp.url}/events/${eventId}/registrations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await response.text();
        if (response.status === 201) return 'placed';
        if (response.status === 409 && body.includes('Event is full')) return 'refused';
        return `${response.status} ${body}`;
      }),
    );
    const applicationName = `${testApp.config.database.applicationName}-api`;
    try {
      await waitUntil(
        `all ${CALLERS} registrations waiting, at least one on a lock`,
        async () => {
          const onLocks = await waitingOnLocks(ctx, applicationName);
          return onLocks > 0 && onLocks + queuedInApp(testApp) >= CALLERS;
        },
        LINE_UP_TIMEOUT_MS,
      );
    } finally {
      await holder.query('COMMIT');
    }
    const statuses = await responses;
    const failures = statuses.filter((status) => status !== 'placed' && status !== 'refused');
    if (failures.length > 0) throw new Error(`unexpected responses: ${failures.slice(0, 5).join(', ')}`);
    return statuses.filter((status) => status === 'refused').length;
  } finally {
    holder.release();
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:C-1',
  title: 'Count-then-insert capacity check oversells under concurrent registration',
  explanation:
    'The original flow counts registrations and inserts if the count is below capacity, with no lock: concurrent ' +
    'callers read the same count before any insert commits, and all of them get a seat. The service takes the seat ' +
    'and writes the registration in one statement (a conditional UPDATE of remaining_capacity feeding the INSERT), so ' +
    'the row lock serialises the decrement and the CHECK keeps it ≥ 0; the rest are waitlisted, never oversold. ' +
    'Both runs send the same 500 POST /events/:id/registrations for 10 seats through the running service (pool of 20), ' +
    "the flawed one with the review's count-then-insert in RegisterService's place. The overlap is held, not left to " +
    'chance: a session holds the registrations table against inserts until every caller waits (on a lock, for a ' +
    "pooled connection, or behind its event's statement: the service writes the callers who arrive meanwhile with " +
    'its next statement), then lets go.',
  fix: [
    'src/registrations/register.service.ts',
    'src/registrations/cancel-registration.service.ts',
    '../../docs/adr/0010-capacity-by-conditional-update.md',
  ],
  metric: { name: 'seats oversold or lost (|registered − capacity|)', unit: 'seats', better: 'lower' },
  difficulty: 2,
  hints: [
    'Between your SELECT of the registrations and your INSERT, 19 other callers read the same count. What stops them seeing the same free seat?',
    'Let one statement both test and take the seat, so the database serialises the callers on the event row instead of the application trusting a stale count.',
    'events has a remaining_capacity column: UPDATE events SET remaining_capacity = remaining_capacity - 1 WHERE id = $1 AND remaining_capacity > 0 RETURNING … takes a seat only when one is left.',
    'The technique: an atomic conditional UPDATE (compare-and-decrement) feeding the INSERT in one statement (a data-modifying CTE); SELECT … FOR UPDATE on the event row also works, more slowly.',
  ],
  seam: 'RegisterService (Nest provider behind POST /events/:id/registrations) ← katas/c-1-capacity-check.flawed.ts CountThenInsertRegisterService',
  flawsPutBack: {
    'check inside a transaction': 'the count and the insert in one READ COMMITTED transaction, no lock',
    'lock the counted rows':
      'a transaction that locks the registrations it counts (SELECT … FOR UPDATE), not the event: inserts still race',
  },
  async measure(run, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 'c1-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    const users = await seedAttendees(ctx.pool, CALLERS, 'c1');
    const refused = await registerAll(ctx, run, event.id, users);
    const seats = await seatCount(ctx, event.id);
    ctx.log(`${run}: ${seats.registered} registered, ${seats.waitlisted} waitlisted, ${refused} refused`);
    return {
      value: Math.abs(seats.registered - SEATS),
      details: {
        capacity: SEATS,
        callers: CALLERS,
        registered: seats.registered,
        waitlisted: seats.waitlisted,
        'refused as full': refused,
        'callers held to read together': POOL_MAX,
      },
    };
  },
  flawed: (seatError) => seatError > 0,
  remediated: (seatError) => seatError === 0,
});
