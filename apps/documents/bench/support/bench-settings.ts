import { benchNiceSetting, benchSetting } from '@remedy/testing';

/**
 * The documents benches' knobs, each from the environment so a smoke run is one variable away, e.g.
 *   DOCS_BENCH_EDITORS=20 DOCS_BENCH_EDITORS_SECONDS=5 npm run bench -- documents/bench/editors
 * (benches are tooling, not the service: the service reads its environment only in src/config.ts).
 */

/** Editors: sockets co-editing one document, over two API instances. */
export const EDITORS = benchSetting('DOCS_BENCH_EDITORS', 200);
/** Editors: updates per second into the document, from all editors together. */
export const EDITOR_UPDATES_PER_SECOND = benchSetting('DOCS_BENCH_EDITOR_RATE', 100);
/** Editors: how long the editors type. */
export const EDITORS_SECONDS = benchSetting('DOCS_BENCH_EDITORS_SECONDS', 60);
/** Editors: client processes the untimed editors are spread over (each applies every update to each of its copies). */
export const EDITOR_PROCESSES = benchSetting('DOCS_BENCH_EDITOR_PROCESSES', 4);
/**
 * Editors: the client processes' nice value, 0 to 19 (default 19). The load generator yields the cores to the API
 * instances, PostgreSQL and Redis, as editors on their own machines would (ADR 0093); 0 runs them as the bench.
 */
export const EDITOR_NICE = benchNiceSetting('DOCS_BENCH_EDITOR_NICE', 19);
/**
 * Editors: how many are timed, a random sample with as many on each instance, in a process of their own at nice 0
 * beside the client processes (ADR 0099): editors on their own machines, which the load's processes on the
 * service's two cores are not. Every editor's deliveries are still counted and timed.
 */
export const TIMED_EDITORS = benchSetting('DOCS_BENCH_TIMED_EDITORS', 20);

/** Cold load: the document's size in characters once its history is written. */
export const COLD_DOCUMENT_CHARACTERS = benchSetting('DOCS_BENCH_COLD_CHARACTERS', 160_000);
/** Cold load: updates that write it (each inserts its share at a random place), compacted as the service does. */
export const COLD_HISTORY_UPDATES = benchSetting('DOCS_BENCH_COLD_HISTORY', 4_000);
/** Cold load: loads timed, each on an instance that holds no copy of the document. */
export const COLD_LOADS = benchSetting('DOCS_BENCH_COLD_LOADS', 20);

/** Search: documents whose index rows are seeded (one organisation: every query searches all of them). */
export const SEARCH_DOCUMENTS = benchSetting('DOCS_BENCH_SEARCH_DOCUMENTS', 100_000);
/** Search: edits per minute through PATCH /documents/:id while the indexer runs. */
export const SEARCH_EDITS_PER_MINUTE = benchSetting('DOCS_BENCH_SEARCH_EDITS_PER_MINUTE', 10_000);
/** Search: how long the edits flow. */
export const SEARCH_EDIT_SECONDS = benchSetting('DOCS_BENCH_SEARCH_SECONDS', 60);
/** Search: queries timed through GET /documents/search, one at a time. */
export const SEARCH_QUERIES = benchSetting('DOCS_BENCH_SEARCH_QUERIES', 200);
