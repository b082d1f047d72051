import { createPgPool, type PgPool } from '@remedy/pooling';
import { defineBench, type IsolatedContext } from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { describeStatuses, percentile, registrationBurst } from '../findings/support/registration-burst.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { RegisterService } from '../src/registrations/register.service.js';
import { CallerThread, type SendBurst } from './caller-thread.js';
import { RAW_REGISTRATION_SQL } from './raw-registration.sql.js';

const SEATS = 100;
const CALLERS = 500;
const ROUNDS = 100;
const SIDE_ROUNDS = 10;
const POOL_MAX = 20;
/* The opening minute of a popular event: this many registrations for one event at once, SEATS × 5 seats. */
const BURST_CALLERS = 2_000;
const BURST_SEATS = 500;

type BenchContext = Omit<IsolatedContext, 'dispose'>;

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

async function httpRounds(
  setup: Setup,
  tokens: string[],
  rounds: number,
  send: SendBurst,
): Promise<{ rate: number; oversold: number; lost: number; failures: Map<number, number> }> {
  const failures = new Map<number, number>();
  let oversold = 0;
  let lost = 0;
  let seconds = 0;
  for (let round = 0; round < rounds; round += 1) {
    const event = await seedEvent(setup.ctx.pool, { organiserId: setup.organiserId, capacity: SEATS });
    const started = performance.now();
    const { statuses } = await send(event.id, tokens);
    seconds += (performance.now() - started) / 1000;
    for (const [status, n] of statuses) {
      if (status !== 201) failures.set(status, (failures.get(status) ?? 0) + n);
    }
    const registered = await registeredCount(setup.ctx, event.id);
    oversold += Math.max(0, registered - SEATS);
    lost += Math.max(0, SEATS - registered);
    if ((round + 1) % 10 === 0) setup.ctx.log(`HTTP round ${round + 1}/${rounds}`);
  }
  if (oversold > 0) throw new Error(`oversold ${oversold} seats over ${rounds} rounds`);
  return { rate: (rounds * tokens.length) / seconds, oversold, lost, failures };
}

/** One rush of BURST_CALLERS registrations on one event through HTTP, with the service's default deadline. */
async function burst(
  setup: Setup,
  testApp: TestApp,
  send: SendBurst,
): Promise<Record<string, number | string>> {
  const users = await seedAttendees(setup.ctx.pool, BURST_CALLERS, 'burst');
  const tokens = await accessTokensFor(testApp, users);
  const event = await seedEvent(setup.ctx.pool, { organiserId: setup.organiserId, capacity: BURST_SEATS });
  const started = performance.now();
  const { statuses, latenciesMs } = await send(event.id, tokens);
  const seconds = (performance.now() - started) / 1000;
  const registered = await registeredCount(setup.ctx, event.id);
  if (registered > BURST_SEATS) throw new Error(`burst oversold ${registered - BURST_SEATS} seats`);
  const answered = statuses.get(201) ?? 0;
  setup.ctx.log(`burst of ${BURST_CALLERS}: ${describeStatuses(statuses)} in ${seconds.toFixed(1)} s`);
  return {
    'burst: callers on one event': BURST_CALLERS,
    'burst: 201 (seat or waitlist)': answered,
    'burst: errors': BURST_CALLERS - answered,
    'burst: responses': describeStatuses(statuses),
    'burst: oversold': Math.max(0, registered - BURST_SEATS),
    'burst: p50 ms': Math.round(percentile(latenciesMs, 0.5)),
    'burst: p95 ms': Math.round(percentile(latenciesMs, 0.95)),
    'burst: p99 ms': Math.round(percentile(latenciesMs, 0.99)),
    'burst: max ms': Math.round(latenciesMs.at(-1) ?? 0),
    'burst: registrations/s': Math.round(BURST_CALLERS / seconds),
  };
}

/**
 * Then one rush of 2,000 callers on one 500-seat event, with the service's default pool deadline (15 s),
 * reporting errors, oversold seats and p50/p95/p99 per call. The pool size is the only override, as in the
 * review's deployment; a bench never raises the pool wait to hide queueing.
 *
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
    const callers = new CallerThread(testApp.url);
    try {
      const raw = (eventId: string, index: number) =>
        pool.query(RAW_REGISTRATION_SQL, [eventId, setup.users[index]]);
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
      const tokens = await accessTokensFor(testApp, setup.users);
      const http = await httpRounds(setup, tokens, ROUNDS, callers.send);
      const sameThread = await httpRounds(setup, tokens, SIDE_ROUNDS, (eventId, eventTokens) =>
        registrationBurst(testApp.url, eventId, eventTokens),
      );
      const rush = await burst(setup, testApp, callers.send);
      return {
        rounds: ROUNDS,
        'oversold (HTTP, all rounds)': http.oversold + sameThread.oversold,
        'seats left empty by failed calls': http.lost + sameThread.lost,
        'non-201 responses': describeStatuses(new Map([...http.failures, ...sameThread.failures])) || 'none',
        'HTTP registrations/s': Math.round(http.rate),
        'HTTP, callers in the API thread, registrations/s': Math.round(sameThread.rate),
        ...rush,
        'RegisterService (no HTTP) calls/s': Math.round(serviceRate),
        'raw statement calls/s': Math.round(rawRate),
        'HTTP / raw': Number((http.rate / rawRate).toFixed(2)),
        'HTTP, callers in the API thread / raw': Number((sameThread.rate / rawRate).toFixed(2)),
        'all seated: raw calls/s': Math.round(rawSeated),
        'all seated: RegisterService calls/s': Math.round(serviceSeated),
        'all seated: service / raw': Number((serviceSeated / rawSeated).toFixed(2)),
      };
    } finally {
      await callers.close();
      await testApp.close();
      await pool.end();
    }
  },
});
