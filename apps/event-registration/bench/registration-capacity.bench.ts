import { createPgPool, type PgPool } from '@remedy/pooling';
import { defineBench, type IsolatedContext } from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { RegisterService } from '../src/registrations/register.service.js';

const SEATS = 100;
const CALLERS = 500;
const ROUNDS = 100;
const SIDE_ROUNDS = 10;
const POOL_MAX = 20;

type BenchContext = Omit<IsolatedContext, 'dispose'>;

/* The floor to compare against: DESIGN §8's raw statement, seat and insert in one autocommit statement. */
const RAW_SQL = `
WITH seat AS (
  UPDATE events SET remaining_capacity = remaining_capacity - 1
   WHERE id = $1 AND remaining_capacity > 0 AND status = 'published'
  RETURNING id, start_datetime
)
INSERT INTO registrations (event_id, user_id, event_starts_at, status)
SELECT id, $2, start_datetime, 'registered' FROM seat`;

interface Setup {
  ctx: BenchContext;
  organiserId: string;
  users: string[];
}

/** Runs `rounds` rounds of all callers at once against fresh events of `capacity`; returns calls/s. */
async function rate(
  setup: Setup,
  rounds: number,
  capacity: number,
  call: (eventId: string, index: number) => Promise<unknown>,
  onRound?: (eventId: string, round: number) => Promise<void>,
): Promise<number> {
  let seconds = 0;
  for (let round = 0; round < rounds; round += 1) {
    const event = await seedEvent(setup.ctx.pool, { organiserId: setup.organiserId, capacity });
    const started = performance.now();
    await Promise.all(setup.users.map((_, index) => call(event.id, index)));
    seconds += (performance.now() - started) / 1000;
    await onRound?.(event.id, round);
  }
  return (rounds * setup.users.length) / seconds;
}

async function registeredCount(ctx: BenchContext, eventId: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ registered: number }>(
    `SELECT count(*)::int AS registered FROM registrations WHERE event_id = $1 AND status = 'registered'`,
    [eventId],
  );
  return rows[0]!.registered;
}

async function httpRounds(setup: Setup, testApp: TestApp): Promise<Record<string, number | string>> {
  const tokens = await accessTokensFor(testApp, setup.users);
  const failures = new Map<number, number>();
  let oversold = 0;
  let lost = 0;
  const httpRate = await rate(
    setup,
    ROUNDS,
    SEATS,
    async (eventId, index) => {
      const response = await fetch(`${testApp.url}/events/${eventId}/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[index]}` },
      });
      await response.arrayBuffer();
      if (response.status !== 201) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
    },
    async (eventId, round) => {
      const registered = await registeredCount(setup.ctx, eventId);
      oversold += Math.max(0, registered - SEATS);
      lost += Math.max(0, SEATS - registered);
      if ((round + 1) % 10 === 0) setup.ctx.log(`HTTP round ${round + 1}/${ROUNDS}`);
    },
  );
  if (oversold > 0) throw new Error(`oversold ${oversold} seats over ${ROUNDS} rounds`);
  return {
    'oversold (HTTP, all rounds)': oversold,
    'seats left empty by failed calls': lost,
    'non-201 responses': [...failures].map(([status, n]) => `${n}× ${status}`).join(', ') || 'none',
    'HTTP registrations/s': Math.round(httpRate),
  };
}

/**
 * events:C-1 under repetition: 100 rounds of 500 concurrent registrations for a fresh 100-seat event through
 * the HTTP API (auth, validation, the one-statement seat + outbox write, stats invalidation), against the raw
 * statement with the same pool size in the same run. The raw statement does less: its 400 refused calls
 * insert nothing, while the service waitlists them (a row and an outbox message each), so the run also
 * compares both with every caller seated (equal work) and the service without HTTP.
 */
export default defineBench({
  name: 'event-registration: registration capacity (500 callers, 100 seats, ×100)',
  harness: eventRegistrationHarness,
  async run(ctx) {
    const setup: Setup = {
      ctx,
      organiserId: await seedOrganiser(ctx.pool, 'bench-organiser@example.com'),
      users: await seedAttendees(ctx.pool, CALLERS, 'bench'),
    };
    const pool: PgPool = createPgPool({
      name: 'bench-raw',
      connectionString: ctx.databaseUrl,
      max: POOL_MAX,
      connectionTimeoutMillis: 10_000,
      statementTimeoutMs: 10_000,
      idleInTransactionSessionTimeoutMs: 10_000,
    });
    const testApp = await startTestApp(ctx, { DB_POOL_MAX: String(POOL_MAX) });
    try {
      const raw = (eventId: string, index: number) => pool.query(RAW_SQL, [eventId, setup.users[index]]);
      const service = testApp.app.get(RegisterService);
      const viaService = (eventId: string, index: number) => service.register(eventId, setup.users[index]!);
      const rawRate = await rate(setup, ROUNDS / 5, SEATS, raw);
      ctx.log(`raw statement, 100 seats: ${Math.round(rawRate)} calls/s`);
      const rawSeated = await rate(setup, SIDE_ROUNDS, CALLERS, raw);
      const serviceSeated = await rate(setup, SIDE_ROUNDS, CALLERS, viaService);
      const serviceRate = await rate(setup, SIDE_ROUNDS, SEATS, viaService);
      ctx.log(
        `RegisterService, 100 seats: ${Math.round(serviceRate)} calls/s; all seated: ${Math.round(serviceSeated)}`,
      );
      const http = await httpRounds(setup, testApp);
      return {
        rounds: ROUNDS,
        ...http,
        'RegisterService (no HTTP) calls/s': Math.round(serviceRate),
        'raw statement calls/s': Math.round(rawRate),
        'HTTP / raw': Number((Number(http['HTTP registrations/s']) / rawRate).toFixed(2)),
        'all seated: raw calls/s': Math.round(rawSeated),
        'all seated: RegisterService calls/s': Math.round(serviceSeated),
        'all seated: service / raw': Number((serviceSeated / rawSeated).toFixed(2)),
      };
    } finally {
      await testApp.close();
      await pool.end();
    }
  },
});
