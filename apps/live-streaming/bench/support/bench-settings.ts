import { benchNiceSetting, benchSetting } from '@remedy/testing';

/**
 * The live-streaming benches' knobs, each from the environment so a smoke run is one variable away, e.g.
 *   LIVE_BENCH_CHAT_SOCKETS=400 LIVE_BENCH_CHAT_SECONDS=5 npm run bench -- live-streaming/bench/chat-room
 *   LIVE_BENCH_FOLLOWERS=10000 LIVE_BENCH_ROUNDS=2 npm run bench -- go-live-fanout
 * (benches are tooling, not the service: the service reads its environment only in src/config.ts).
 */

/** Go-live: followers of the streamer. */
export const BENCH_FOLLOWERS = benchSetting('LIVE_BENCH_FOLLOWERS', 100_000);
/** Go-live: share of the followers online over WebSocket while the streamer goes live. */
export const BENCH_ONLINE_SHARE = benchSetting('LIVE_BENCH_ONLINE_SHARE', 0.1);
/** Go-live: go-lives of the same streamer, one after another (each ends before the next): the start p95 is over these. */
export const BENCH_ROUNDS = benchSetting('LIVE_BENCH_ROUNDS', 5);
/** Go-live: followers of the streamer served by the review's inline loop, in the same run. */
export const BENCH_FLAWED_FOLLOWERS = benchSetting('LIVE_BENCH_FLAWED_FOLLOWERS', 10_000);
/**
 * Sockets per process (each API instance and each client process): one socket is a file on both ends, and a
 * process here may hold 20,000 files, so 5,000 a process leaves room for everything else it opens.
 */
export const SOCKETS_PER_PROCESS = benchSetting('LIVE_BENCH_SOCKETS_PER_PROCESS', 5_000);

/** Chat room: sockets in the one room, over two API instances. */
export const CHAT_SOCKETS = benchSetting('LIVE_BENCH_CHAT_SOCKETS', 8_000);
/** Chat room: how long the senders send. */
export const CHAT_SECONDS = benchSetting('LIVE_BENCH_CHAT_SECONDS', 60);
/** Chat room: messages per second into the room, from all senders together. */
export const CHAT_MESSAGES_PER_SECOND = benchSetting('LIVE_BENCH_CHAT_RATE', 20);
/** Chat room: client processes the untimed sockets are spread over (each well below the open-files limit of 20,000). */
export const CHAT_CLIENT_PROCESSES = benchSetting('LIVE_BENCH_CHAT_CLIENT_PROCESSES', 4);
/**
 * Chat room: sockets timed, a random sample with as many on each instance, in a process of their own at nice 0 with
 * the senders (ADR 0099): viewers on their own machines, which the load's processes on the service's two cores are
 * not. Every socket's deliveries are counted whatever this is.
 */
export const CHAT_TIMED_SOCKETS = benchSetting('LIVE_BENCH_CHAT_TIMED_SOCKETS', 400);
/**
 * Chat room: share of the load's sockets also timed in the load's processes (a random sample, the same share of
 * each instance's sockets in each process), reported beside the goal: what CPU-starved clients saw.
 */
export const CHAT_LATENCY_SHARE = Math.min(1, benchSetting('LIVE_BENCH_CHAT_LATENCY_SHARE', 0.1));
/**
 * Chat room: the load's client processes' nice value, 0 to 19 (default 19): they yield the cores to the API
 * instances and Redis, as viewers on their own machines would (ADR 0099); 0 runs them as the bench.
 */
export const CHAT_CLIENT_NICE = benchNiceSetting('LIVE_BENCH_CHAT_CLIENT_NICE', 19);

/**
 * Chat room: the instances' frame window (CHAT_FRAME_WINDOW_MS), the service's default unless set: the window trades
 * each message's wait against the frames every socket costs, and this knob measures that trade.
 */
export const CHAT_FRAME_WINDOW_MS = benchSetting('LIVE_BENCH_CHAT_FRAME_WINDOW_MS', 100);

/** Viewer joins: distinct viewers joining one stream, and over how many seconds they arrive. */
export const VIEWER_JOINS = benchSetting('LIVE_BENCH_VIEWER_JOINS', 100_000);
export const VIEWER_JOIN_SECONDS = benchSetting('LIVE_BENCH_VIEWER_JOIN_SECONDS', 10);

/** Live list: live streams listed, seconds of load per variant, keep-alive connections. */
export const LIVE_LIST_STREAMS = benchSetting('LIVE_BENCH_LIVE_STREAMS', 100);
export const LIVE_LIST_SECONDS = benchSetting('LIVE_BENCH_LIVE_LIST_SECONDS', 10);
export const LIVE_LIST_CONNECTIONS = benchSetting('LIVE_BENCH_LIVE_LIST_CONNECTIONS', 50);
/** Live list: a streamer goes live (and the one before ends) this often during the load: the list changes. */
export const LIVE_LIST_CHURN_MS = benchSetting('LIVE_BENCH_LIVE_LIST_CHURN_MS', 1_000);
