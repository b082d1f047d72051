import { createPgPool, type PgPool } from '@remedy/pooling';
import { defineBench, type BenchResult, type IsolatedContext } from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { describeStatuses, percentile } from '../findings/support/registration-burst.js';
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
/* Issue 9's goal: HTTP registrations at no less than this share of the raw statement's calls/s. */
const HTTP_TO_RAW_GOAL = 0.5;
/* The opening minute of a popular event: this many registrations for one event at once, SEATS × 5 seats. */
const BURST_CALLERS = 2_000;
const BURST_SEATS = 500;

type BenchContext = Omit<IsolatedContext, 'dispose'>;

interface Setup {
  ctx: BenchContext;
  organiserId: string;
  users: string[];
}

interface HttpRounds {
  /** calls/s over the rounds' wall time. */
  rate: number;
  /** The raw statement's calls/s in rounds alternating with these. */
  rawRate: number;
  oversold: number;
  lost: number;
  failures: Map<number, number>;
}

/** Runs `rounds` rounds of all callers at once against fresh events of `capacity`; returns calls/s. */
async function rate(
  setup: Setup,
  rounds: number,
  capacity: number,
  call: (eventId: string, index: number) => Promise<unknown>,
): Promise<number> {
  let seconds = 0;
  for (let round = 0; round < rounds; round += 1) {
    const event = await seedEvent(setup.ctx.pool, { organiserId: setup.organiserId, capacity });
    const started = performance.now();
    await Promise.all(setup.users.map((_, index) => call(event.id, index)));
    seconds += (performance.now() - started) / 1000;
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

/**
 * `rounds` HTTP rounds (500 callers, a fresh 100-seat event each), each after a round of the raw statement,
 * so that both see the same machine: on cores shared with other work, a ratio of two runs minutes apart
 * measures the neighbours as much as the service.
 */
async function httpRounds(
  setup: Setup,
  tokens: string[],
  rounds: number,
  send: SendBurst,
  raw: (eventId: string, index: number) => Promise<unknown>,
): Promise<HttpRounds> {
  const failures = new Map<number, number>();
  let oversold = 0;
  let lost = 0;
  let seconds = 0;
  let rawSeconds = 0;
  for (let round = 0; round < rounds; round += 1) {
    rawSeconds += CALLERS / (await rate(setup, 1, SEATS, raw));
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
  const calls = rounds * tokens.length;
  return { rate: calls / seconds, rawRate: calls / rawSeconds, oversold, lost, failures };
}

interface Burst {
  errors: number;
  oversold: number;
  result: BenchResult;
}

/** One rush of BURST_CALLERS registrations on one event through HTTP, with the service's default deadline. */
async function burst(setup: Setup, testApp: TestApp, send: SendBurst): Promise<Burst> {
  const users = await seedAttendees(setup.ctx.pool, BURST_CALLERS, 'burst');
  const tokens = await accessTokensFor(testApp, users);
  const event = await seedEvent(setup.ctx.pool, { organiserId: setup.organiserId, capacity: BURST_SEATS });
  const started = performance.now();
  const { statuses, latenciesMs } = await send(event.id, tokens);
  const seconds = (performance.now() - started) / 1000;
  const registered = await registeredCount(setup.ctx, event.id);
  const answered = statuses.get(201) ?? 0;
  const oversold = Math.max(0, registered - BURST_SEATS);
  setup.ctx.log(`burst of ${BURST_CALLERS}: ${describeStatuses(statuses)} in ${seconds.toFixed(1)} s`);
  return {
    errors: BURST_CALLERS - answered,
    oversold,
    result: {
      'callers on one event': BURST_CALLERS,
      seats: BURST_SEATS,
      '201 (seat or waitlist)': answered,
      errors: BURST_CALLERS - answered,
      responses: describeStatuses(statuses),
      oversold,
      'p50 ms': Math.round(percentile(latenciesMs, 0.5)),
      'p95 ms': Math.round(percentile(latenciesMs, 0.95)),
      'p99 ms': Math.round(percentile(latenciesMs, 0.99)),
      'max ms': Math.round(latenciesMs.at(-1) ?? 0),
      'registrations/s': Math.round(BURST_CALLERS / seconds),
    },
  };
}

function goal(value: number, met: boolean): BenchResult {
  return { value, met };
}

const ratio = (value: number): number => Number(value.toFixed(2));

/**
 * events:C-1 under repetition, and issue 9's goals: 100 rounds of 500 concurrent registrations for a fresh
 * 100-seat event through the HTTP API (auth, validation, the batched seat + outbox write, stats
 * invalidation), each after a round of the raw one-statement baseline with the same pool size, then one rush
 * of 2,000 callers on one 500-seat event with the service's default pool deadline (15 s), reporting errors,
 * oversold seats and p50/p95/p99 per call. The pool size is the only override, as in the review's
 * deployment; a bench never raises the pool wait to hide queueing. Nothing here throws on a missed goal:
 * `goals` says which were met.
 *
 * The callers run on a thread of their own with lean keep-alive connections (keep-alive-callers.ts); ten
 * rounds with undici's fetch instead show what the load generator's own CPU costs on shared cores. The raw
 * statement does less than the service: its 400 refused calls insert nothing, while the service waitlists
 * them (a row and an outbox message each), so the run also compares both with every caller seated (equal
 * work) and the service without HTTP.
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
      const rawSeated = await rate(setup, SIDE_ROUNDS, CALLERS, raw);
      const serviceSeated = await rate(setup, SIDE_ROUNDS, CALLERS, viaService);
      const serviceRate = await rate(setup, SIDE_ROUNDS, SEATS, viaService);
      ctx.log(
        `RegisterService, 100 seats: ${Math.round(serviceRate)} calls/s; all seated: ${Math.round(serviceSeated)}`,
      );
      const tokens = await accessTokensFor(testApp, setup.users);
      const http = await httpRounds(setup, tokens, ROUNDS, callers.send, raw);
      ctx.log(`HTTP ${Math.round(http.rate)} calls/s, raw statement ${Math.round(http.rawRate)} calls/s`);
      const withFetch = await httpRounds(setup, tokens, SIDE_ROUNDS, callers.sendWithFetch, raw);
      const rush = await burst(setup, testApp, callers.send);
      const httpToRaw = ratio(http.rate / http.rawRate);
      const oversold = http.oversold + withFetch.oversold + rush.oversold;
      const goals: Record<string, BenchResult> = {
        [`HTTP / raw ≥ ${HTTP_TO_RAW_GOAL} (500 callers, 100 seats)`]: goal(
          httpToRaw,
          httpToRaw >= HTTP_TO_RAW_GOAL,
        ),
        [`burst of ${BURST_CALLERS.toLocaleString('en')}: 0 errors`]: goal(rush.errors, rush.errors === 0),
        'every round and the burst: 0 oversold': goal(oversold, oversold === 0),
      };
      const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
      return {
        'goals met': `${met}/${Object.keys(goals).length}`,
        goals,
        rounds: ROUNDS,
        'HTTP registrations/s': Math.round(http.rate),
        'raw statement calls/s (rounds alternating with HTTP)': Math.round(http.rawRate),
        'HTTP / raw': httpToRaw,
        'oversold (HTTP, all rounds)': http.oversold + withFetch.oversold,
        'seats left empty by failed calls': http.lost + withFetch.lost,
        'non-201 responses': describeStatuses(new Map([...http.failures, ...withFetch.failures])) || 'none',
        [`callers on undici fetch (${SIDE_ROUNDS} rounds)`]: {
          'HTTP registrations/s': Math.round(withFetch.rate),
          'raw statement calls/s': Math.round(withFetch.rawRate),
          'HTTP / raw': ratio(withFetch.rate / withFetch.rawRate),
        },
        [`burst of ${BURST_CALLERS.toLocaleString('en')}`]: rush.result,
        'RegisterService (no HTTP) calls/s': Math.round(serviceRate),
        'all seated: raw calls/s': Math.round(rawSeated),
        'all seated: RegisterService calls/s': Math.round(serviceSeated),
        'all seated: service / raw': ratio(serviceSeated / rawSeated),
      };
    } finally {
      await callers.close();
      await testApp.close();
      await pool.end();
    }
  },
});
