import { createPgPool } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { EventFullError, registerWithCountCheck } from '../katas/c-1-capacity-check.flawed.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { startTestApp } from './support/start-test-app.js';

const SEATS = 100;
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

async function flawed(ctx: FindingContext, eventId: string, users: string[]): Promise<number> {
  const pool = createPgPool({
    name: 'kata-c-1',
    connectionString: ctx.databaseUrl,
    max: POOL_MAX,
    connectionTimeoutMillis: 10_000,
    statementTimeoutMs: 10_000,
    idleInTransactionSessionTimeoutMs: 10_000,
  });
  try {
    const outcomes = await Promise.allSettled(
      users.map((user) => registerWithCountCheck(pool, eventId, user)),
    );
    const unexpected = outcomes.find((o) => o.status === 'rejected' && !(o.reason instanceof EventFullError));
    if (unexpected?.status === 'rejected') throw unexpected.reason;
    return outcomes.filter((o) => o.status === 'rejected').length;
  } finally {
    await pool.end();
  }
}

async function remediated(ctx: FindingContext, eventId: string, users: string[]): Promise<number> {
  // A generous wait for a connection: this proof is about seats, and a loaded CI machine should not turn
  // the fail-fast pool's 503s (events:S-4's business) into a failed capacity proof.
  const testApp = await startTestApp(ctx, {
    DB_POOL_MAX: String(POOL_MAX),
    DB_CONNECTION_TIMEOUT_MS: '15000',
  });
  try {
    const tokens = await accessTokensFor(testApp, users);
    const statuses = await Promise.all(
      tokens.map(async (token) => {
        const response = await fetch(`${testApp.url}/events/${eventId}/registrations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await response.text();
        return response.status === 201 ? 201 : `${response.status} ${body}`;
      }),
    );
    const failures = statuses.filter((status) => status !== 201);
    if (failures.length > 0) throw new Error(`unexpected responses: ${failures.slice(0, 5).join(', ')}`);
    return 0;
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:C-1',
  title: 'Count-then-insert capacity check oversells under concurrent registration',
  explanation:
    'The original flow counts registrations and inserts if the count is below capacity, with no lock: 500 concurrent ' +
    'callers all read the same count before any insert commits, and all of them get a seat. The service takes the seat ' +
    'and writes the registration in one statement (a conditional UPDATE of remaining_capacity feeding the INSERT), so ' +
    'the row lock serialises the decrement and the CHECK keeps it ≥ 0; the rest are waitlisted, never oversold.',
  fix: [
    'src/registrations/register.service.ts',
    'src/registrations/cancel-registration.service.ts',
    '../../docs/adr/0010-capacity-by-conditional-update.md',
  ],
  metric: { name: 'seats oversold or lost (|registered − capacity|)', unit: 'seats', better: 'lower' },
  async measure(variant, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 'c1-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    const users = await seedAttendees(ctx.pool, CALLERS, 'c1');
    const started = performance.now();
    const refused =
      variant === 'flawed' ? await flawed(ctx, event.id, users) : await remediated(ctx, event.id, users);
    const seconds = (performance.now() - started) / 1000;
    const seats = await seatCount(ctx, event.id);
    ctx.log(`${variant}: ${seats.registered} registered, ${seats.waitlisted} waitlisted, ${refused} refused`);
    return {
      value: Math.abs(seats.registered - SEATS),
      details: {
        capacity: SEATS,
        callers: CALLERS,
        registered: seats.registered,
        waitlisted: seats.waitlisted,
        'refused as full': refused,
        'calls/s': Math.round(CALLERS / seconds),
      },
    };
  },
  flawed: (seatError) => seatError > 0,
  remediated: (seatError) => seatError === 0,
});
