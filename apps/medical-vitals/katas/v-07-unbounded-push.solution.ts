import { RealtimeHub } from '@remedy/realtime';
import type { LiveHubFactory } from '../src/dashboards/live/live-hub.js';

/**
 * The reviewed push path with no backpressure (vitals review §4: "5000 concurrent WebSocket connections ×
 * 1 message/second will accumulate in server memory if not properly managed … No mention of … memory
 * configuration"): every reading is `send()`-ed to every subscribed dashboard. `ws` never refuses a send,
 * so for a dashboard that stops reading (a frozen tab, a dead network path), every message waits in the
 * server's memory for as long as the socket stays open.
 *
 * Plugged in as the /live gateway's hub: the real hub, whose per-socket send path never holds back (an
 * infinite high-water mark: every message goes straight to `ws.send()`).
 */
export const unboundedPushHub: LiveHubFactory = (options) =>
  new RealtimeHub({
    ...options,
    // The gateway's bounded send path: a socket that stops reading gets writes only up to the high-water mark,
    // then at most maxPendingMessages wait, the latest reading per patient replacing the older one. A stalled
    // dashboard costs a bounded amount of memory and, when it reads again, gets current values, not a backlog.
    sendQueue: {
      highWaterMarkBytes: options.sendQueue.highWaterMarkBytes,
      maxPendingMessages: options.sendQueue.maxPendingMessages,
    },
  });

/**
 * A close cousin: the send path stops writing at the high-water mark, but its queue has no cap and keeps
 * every message (no key, so nothing coalesces to the latest reading per patient).
 */
export const uncappedQueueHub: LiveHubFactory = (options) => {
  const hub = new RealtimeHub({
    ...options,
    sendQueue: { ...options.sendQueue, maxPendingMessages: Number.POSITIVE_INFINITY },
  });
  const publishMany = hub.publishMany.bind(hub);
  hub.publishMany = (messages) => publishMany(messages.map(({ room, message }) => ({ room, message })));
  return hub;
};
