import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import type pg from 'pg';
import {
  FreshVersionRetryTransitions,
  MissTreatedAsSuccessTransitions,
  UnlockedTransitions,
  type Transitions,
} from '../katas/m-2-unlocked-transitions.flawed.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import type { RegistrationRow } from '../src/registrations/registration-row.js';
import { RegistrationTransitions } from '../src/registrations/registration-transitions.js';
import { CheckinTokens } from '../src/checkin/checkin-tokens.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent, seedRegistrations } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { startTestApp } from './support/start-test-app.js';

const TRIALS = 20;

interface FinalState {
  id: string;
  status: string;
  cancelled_at: Date | null;
  checked_in_at: Date | null;
}

/* A trial is inconsistent when both requests were told they won, or the row shows both transitions. */
function inconsistent(state: FinalState, cancelWon: boolean, checkinWon: boolean): boolean {
  const bothStamped = state.cancelled_at !== null && state.checked_in_at !== null;
  const winnerMismatch =
    (state.status === 'cancelled' && !cancelWon) || (state.status === 'checked_in' && !checkinWon);
  return (cancelWon && checkinWon) || bothStamped || winnerMismatch || state.status === 'registered';
}

async function finalStates(ctx: FindingContext, ids: string[]): Promise<Map<string, FinalState>> {
  const { rows } = await ctx.pool.query<FinalState>(
    'SELECT id, status, cancelled_at, checked_in_at FROM registrations WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * A two-party barrier: the first to arrive waits for the second. Arrivals after the second (a retry's
 * re-read) pass straight through. A safety net turns a missing party into an error instead of a hang.
 */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const all = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  const safety = setTimeout(
    () => fail(new Error(`only ${arrived} of ${parties} requests read the registration`)),
    60_000,
  );
  return () => {
    arrived += 1;
    if (arrived === parties) {
      clearTimeout(safety);
      release();
    }
    return all;
  };
}

/**
 * The measurement's instrument, the same in every run: whatever transitions implementation is plugged in,
 * a read of a registration under trial waits until the other request has read it too, so both decide on
 * the same state before either writes (what happens on its own under load).
 */
class BothReadFirst implements Transitions {
  constructor(
    private readonly inner: Transitions,
    private readonly barriers: Map<string, () => Promise<void>>,
  ) {}

  async load(id: string): Promise<RegistrationRow> {
    const row = await this.inner.load(id);
    await this.barriers.get(id)?.();
    return row;
  }

  apply(...args: Parameters<Transitions['apply']>): ReturnType<Transitions['apply']> {
    return this.inner.apply(...args);
  }
}

type Run = 'flawed' | 'remediated' | 'miss treated as success' | 'retry with the fresh version';

const TRANSITIONS: Record<Run, new (pool: pg.Pool) => Transitions> = {
  flawed: UnlockedTransitions,
  remediated: RegistrationTransitions,
  'miss treated as success': MissTreatedAsSuccessTransitions,
  'retry with the fresh version': FreshVersionRetryTransitions,
};

async function cancelAndCheckInTogether(
  ctx: FindingContext,
  run: Run,
  eventId: string,
  organiserId: string,
  ids: string[],
  owners: string[],
): Promise<boolean[][]> {
  const barriers = new Map<string, () => Promise<void>>();
  const Implementation = TRANSITIONS[run];
  const testApp = await startTestApp(
    ctx,
    {},
    {
      plugs: [
        {
          provide: RegistrationTransitions,
          inject: [PRIMARY_POOL],
          useFactory: (pool: pg.Pool) => new BothReadFirst(new Implementation(pool), barriers),
        },
      ],
    },
  );
  try {
    const ownerTokens = await accessTokensFor(testApp, owners);
    const [organiserToken] = await accessTokensFor(testApp, [organiserId], 'organiser');
    const qr = testApp.app.get(CheckinTokens);
    const outcomes: boolean[][] = [];
    for (const [index, id] of ids.entries()) {
      const { token } = await qr.issue({ registrationId: id, eventId }, new Date(Date.now() + 86_400_000));
      barriers.set(id, barrier(2));
      const [cancel, checkin] = await Promise.all([
        fetch(`${testApp.url}/registrations/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${ownerTokens[index]}` },
        }),
        fetch(`${testApp.url}/checkin`, {
          method: 'POST',
          headers: { authorization: `Bearer ${organiserToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        }),
      ]);
      const checkinBody = (await checkin.json()) as { alreadyCheckedIn?: boolean };
      await cancel.arrayBuffer();
      barriers.delete(id);
      outcomes.push([
        cancel.status === 200,
        checkin.status === 200 && checkinBody.alreadyCheckedIn === false,
      ]);
    }
    return outcomes;
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:M-2',
  title: 'Concurrent cancel and check-in of one registration leave an inconsistent state',
  explanation:
    'Cancel and check-in each read the status, check it in the application and write the new one: when both read ' +
    'before either writes, both are told they succeeded and the row ends checked in after its cancellation (and the ' +
    'seat is released too). The service moves a registration only along its state machine, with an UPDATE that names ' +
    'the version and status it read: the second writer matches no row, re-reads once, and gets a 409 (a checked-in ' +
    'registration cannot be cancelled; a cancelled one cannot check in). Exactly one wins. Both runs send DELETE ' +
    '/registrations/:id and POST /checkin together for each of 20 registrations through the running service, each ' +
    "request's read held until the other has read too; the flawed run has the review's read-check-write in " +
    "RegistrationTransitions' place.",
  fix: [
    'src/registrations/registration-status.ts',
    'src/registrations/registration-transitions.ts',
    'src/registrations/cancel-registration.service.ts',
    'src/checkin/checkin.service.ts',
    '../../docs/adr/0011-registration-state-machine-and-optimistic-lock.md',
  ],
  metric: { name: 'trials with two winners or an invalid final state', unit: 'trials', better: 'lower' },
  difficulty: 2,
  hints: [
    "Cancel and check-in both read 'registered' before either writes. Who should lose?",
    'Make the write conditional on what was read, so the second writer notices the row changed under it.',
    'UPDATE … SET status = $new, version = version + 1 WHERE id = $1 AND version = $read AND status = $expected: zero rows means you lost; re-read and refuse with 409.',
    'The technique: optimistic concurrency control (a version column) over an explicit state machine.',
  ],
  seam: 'RegistrationTransitions (Nest provider: load + apply, shared by DELETE /registrations/:id and POST /checkin) ← katas/m-2-unlocked-transitions.flawed.ts UnlockedTransitions; both runs wrap it in the same read barrier',
  flawsPutBack: {
    'miss treated as success':
      'the optimistic UPDATE kept, but when it matches no row the caller is told it succeeded',
    'retry with the fresh version':
      'on a version conflict the UPDATE is retried with the version read again, without re-deciding on the new status',
  },
  async measure(run, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 'm2-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: TRIALS });
    const owners = await seedAttendees(ctx.pool, TRIALS, 'm2');
    const ids = await seedRegistrations(ctx.pool, event, owners);
    const outcomes = await cancelAndCheckInTogether(ctx, run, event.id, organiserId, ids, owners);
    const states = await finalStates(ctx, ids);
    const bad = ids.filter((id, index) => {
      const [cancelWon, checkinWon] = outcomes[index]!;
      return inconsistent(states.get(id)!, cancelWon!, checkinWon!);
    }).length;
    const cancelled = [...states.values()].filter((state) => state.status === 'cancelled').length;
    const { rows } = await ctx.pool.query<{ remaining: number }>(
      'SELECT remaining_capacity AS remaining FROM events WHERE id = $1',
      [event.id],
    );
    return {
      value: bad,
      details: {
        trials: TRIALS,
        'cancel won': cancelled,
        'check-in won': TRIALS - cancelled,
        'seats released': rows[0]!.remaining,
      },
    };
  },
  flawed: (bad) => bad > 0,
  remediated: (bad) => bad === 0,
});
