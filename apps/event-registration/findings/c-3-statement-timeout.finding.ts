import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { createUnconfiguredPool } from '../katas/c-3-no-statement-timeout.flawed.js';
import { startTestApp } from './support/start-test-app.js';

const RUNAWAYS = 3;
/** The runaway: it sleeps, so its length is the same on any machine. */
const RUNAWAY_SECONDS = 2;
/** Production uses 5 s (DB_STATEMENT_TIMEOUT_MS); the proof sets a shorter one so it need not wait that long. */
const STATEMENT_TIMEOUT_MS = 300;

interface Outcome {
  completed: boolean;
  heldMs: number;
  code?: string;
}

async function runaway(query: (sql: string) => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  try {
    await query(`SELECT pg_sleep(${RUNAWAY_SECONDS})`);
    return { completed: true, heldMs: performance.now() - started };
  } catch (error) {
    const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code;
    return { completed: false, heldMs: performance.now() - started, ...(code ? { code } : {}) };
  }
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  let outcomes: Outcome[];
  if (variant === 'flawed') {
    const pool = createUnconfiguredPool(ctx.databaseUrl);
    try {
      outcomes = await Promise.all(Array.from({ length: RUNAWAYS }, () => runaway((sql) => pool.query(sql))));
    } finally {
      await pool.end();
    }
  } else {
    const testApp = await startTestApp(ctx, { DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
    try {
      const dataSource = testApp.app.get(DataSource);
      outcomes = await Promise.all(
        Array.from({ length: RUNAWAYS }, () => runaway((sql) => dataSource.query(sql))),
      );
    } finally {
      await testApp.close();
    }
    const wrong = outcomes.find((outcome) => !outcome.completed && outcome.code !== '57014');
    if (wrong)
      throw new Error(`a runaway failed for another reason than statement_timeout: ${JSON.stringify(wrong)}`);
  }
  const completed = outcomes.filter((outcome) => outcome.completed).length;
  return {
    value: completed,
    details: {
      'longest connection hold (ms)': Math.round(Math.max(...outcomes.map((outcome) => outcome.heldMs))),
      runaways: RUNAWAYS,
    },
  };
}

export default defineFinding({
  id: 'events:C-3',
  title: 'No SLOs and no statement timeout',
  explanation:
    'With no targets nobody can tell when the service is too slow, and with no statement_timeout one runaway query holds a pooled connection (and its locks) until it ends. The app now sets statement_timeout (5 s) and idle_in_transaction_session_timeout server-side on every pooled session, answers a cancelled statement with a 503 and a reason, and writes its SLOs (registration p95 < 500 ms, list p95 < 200 ms, stats p95 < 2 s, < 1 % 5xx) into the README, the exported slo_* gauges and the Prometheus alert rules, which a unit test keeps in step.',
  fix: [
    'src/database/data-source.factory.ts',
    'src/config.ts',
    '../../libs/http/src/transient-database-errors.ts',
    'src/slo/slos.ts',
    '../../infra/prometheus/rules/event-registration.yml',
  ],
  metric: { name: 'runaway statements that ran to completion', unit: 'statements', better: 'lower' },
  measure,
  flawed: (completed) => completed === RUNAWAYS,
  remediated: (completed) => completed === 0,
  timeoutMs: 60_000,
});
