import { availableParallelism } from 'node:os';
import { benchSetting } from '@remedy/testing';

/**
 * Bench knobs from the environment, so a quick run is one variable away:
 *   VITALS_BENCH_SECONDS=10 npm run bench -- medical-vitals
 */
export const BENCH_SECONDS = benchSetting('VITALS_BENCH_SECONDS', 60);
/**
 * The devices' run at 1 Hz before the measured ones, on the freshly started API: its JIT, pools and caches warm
 * up there (a cold instance's first seconds carry a tail of seconds), and it is reported apart from the goals.
 */
export const BENCH_WARMUP_SECONDS = benchSetting('VITALS_BENCH_WARMUP_SECONDS', 10);
export const BENCH_DEVICES = benchSetting('VITALS_BENCH_DEVICES', 5_000);
export const BENCH_REPORT_ROWS = benchSetting('VITALS_BENCH_REPORT_ROWS', 1_000_000);
export const BENCH_HTTP_SECONDS = benchSetting('VITALS_BENCH_HTTP_SECONDS', 10);
/** API processes the device bench runs (INGEST_WORKERS): one per available core unless set. */
export const BENCH_WORKERS = benchSetting('VITALS_BENCH_WORKERS', availableParallelism());
