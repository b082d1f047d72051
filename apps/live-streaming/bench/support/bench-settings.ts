import { benchSetting } from '@remedy/testing';

/**
 * The live-streaming benches' knobs, each from the environment so a smoke run is one variable away, e.g.
 *   LIVE_BENCH_CHAT_SOCKETS=400 LIVE_BENCH_CHAT_SECONDS=5 npm run bench -- live-streaming/bench/chat-room
 */

/** Chat room: sockets in the one room, over two API instances. */
export const CHAT_SOCKETS = benchSetting('LIVE_BENCH_CHAT_SOCKETS', 8_000);
/** Chat room: how long the senders send. */
export const CHAT_SECONDS = benchSetting('LIVE_BENCH_CHAT_SECONDS', 60);
/** Chat room: messages per second into the room, from all senders together. */
export const CHAT_MESSAGES_PER_SECOND = benchSetting('LIVE_BENCH_CHAT_RATE', 20);
/** Chat room: client processes the sockets are spread over (each well below the open-files limit of 20,000). */
export const CHAT_CLIENT_PROCESSES = benchSetting('LIVE_BENCH_CHAT_CLIENT_PROCESSES', 4);

/** Viewer joins: distinct viewers joining one stream, and over how many seconds they arrive. */
export const VIEWER_JOINS = benchSetting('LIVE_BENCH_VIEWER_JOINS', 100_000);
export const VIEWER_JOIN_SECONDS = benchSetting('LIVE_BENCH_VIEWER_JOIN_SECONDS', 10);

/** Live list: live streams listed, seconds of load per variant, keep-alive connections. */
export const LIVE_LIST_STREAMS = benchSetting('LIVE_BENCH_LIVE_STREAMS', 100);
export const LIVE_LIST_SECONDS = benchSetting('LIVE_BENCH_LIVE_LIST_SECONDS', 10);
export const LIVE_LIST_CONNECTIONS = benchSetting('LIVE_BENCH_LIVE_LIST_CONNECTIONS', 50);
/** Live list: a streamer goes live (and the one before ends) this often during the load: the list changes. */
export const LIVE_LIST_CHURN_MS = benchSetting('LIVE_BENCH_LIVE_LIST_CHURN_MS', 1_000);
