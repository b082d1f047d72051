import { defineBench, httpLoad, percentile } from '@remedy/testing';
import { createPgPool } from '@remedy/pooling';
import { activePatientsWithLazyLoading } from '../katas/v-05-active-patients-n-plus-one.flawed.js';
import { seedLatestReadings } from '../findings/live-support/seed-vitals.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { signInNurse } from '../findings/support/staff-session.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { BENCH_HTTP_SECONDS } from './support/bench-settings.js';

const PATIENTS = 500;
const CONNECTIONS = 20;
const KATA_CALLS = 20;

export default defineBench({
  name: 'medical-vitals: dashboard reads with 500 active patients (latest vitals, active patients)',
  harness: medicalVitalsHarness,
  async run(ctx) {
    const registry = await seedRegistry(ctx.pool, { patients: PATIENTS });
    await seedLatestReadings(ctx.pool, registry);
    const wardId = registry.wardIds[0]!;
    ctx.log(`seeded ${PATIENTS} patients with a reading each`);

    const kataPool = createPgPool({
      name: 'bench-kata',
      connectionString: ctx.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 5_000,
      statementTimeoutMs: 30_000,
      idleInTransactionSessionTimeoutMs: 30_000,
    });
    const kataTimes: number[] = [];
    try {
      for (let i = 0; i < KATA_CALLS; i += 1) {
        const started = performance.now();
        await activePatientsWithLazyLoading(kataPool, wardId);
        kataTimes.push(performance.now() - started);
      }
    } finally {
      await kataPool.end();
    }
    ctx.log(
      `kata N+1 active patients (in-process, one caller): p95 ${percentile(kataTimes, 95).toFixed(1)} ms`,
    );

    const app = await startTestApp(ctx);
    try {
      // A nurse of the ward, as on the ward page; every request below carries the nurse's token.
      const { headers } = await signInNurse({ url: app.url, pool: ctx.pool }, [wardId]);
      // Warm the latest-vitals cache the way the first dashboard load does.
      await fetch(`${app.url}/dashboard/active-patients?wardId=${wardId}&limit=${PATIENTS}`, { headers });
      const latest = await httpLoad({
        url: `${app.url}/patients/${registry.patientIds[0]}/latest`,
        headers,
        connections: CONNECTIONS,
        durationSeconds: BENCH_HTTP_SECONDS,
      });
      ctx.log(
        `GET /patients/:id/latest: ${Math.round(latest.requestsPerSecond)} req/s, p99 ${latest.latencyMs.p99} ms`,
      );
      const active = await httpLoad({
        url: `${app.url}/dashboard/active-patients?wardId=${wardId}&limit=${PATIENTS}`,
        headers,
        connections: CONNECTIONS,
        durationSeconds: BENCH_HTTP_SECONDS,
      });
      ctx.log(
        `GET /dashboard/active-patients (500): ${Math.round(active.requestsPerSecond)} req/s, p99 ${active.latencyMs.p99} ms`,
      );
      return {
        patients: PATIENTS,
        connections: CONNECTIONS,
        'latest req/s': Math.round(latest.requestsPerSecond),
        'latest p50 ms': latest.latencyMs.p50,
        'latest p90 ms': latest.latencyMs.p90,
        'latest p99 ms': latest.latencyMs.p99,
        'latest errors + non-2xx': latest.errors + latest.non2xx,
        'active-patients req/s': Math.round(active.requestsPerSecond),
        'active-patients p50 ms': active.latencyMs.p50,
        'active-patients p90 ms': active.latencyMs.p90,
        'active-patients p99 ms': active.latencyMs.p99,
        'active-patients errors + non-2xx': active.errors + active.non2xx,
        'kata N+1 active-patients p95 ms (1 caller, in-process)': Number(
          percentile(kataTimes, 95).toFixed(1),
        ),
      };
    } finally {
      // autocannon leaves its keep-alive sockets open; Fastify would wait out its 72 s keep-alive timeout.
      (app.app.getHttpServer() as { closeAllConnections(): void }).closeAllConnections();
      await app.close();
    }
  },
});
