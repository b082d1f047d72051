export { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';
export { RoomRegistry } from './room-registry.js';
export { wallClockMs, type RoomDeliveryTimings } from './room-delivery-timings.js';
export { RedisRoomBus, type RedisRoomBusOptions, type RoomMessage } from './redis-room-bus.js';
export { RedisRoomPublisher, ROOM_MESSAGE_WIRE_LUA } from './redis-room-publisher.js';
export { ConnectionLimiter } from './connection-limiter.js';
export { hasQueryString, hasTokenInUrl, DEFAULT_TOKEN_QUERY_PARAMETERS } from './token-in-url.js';
export {
  BoundedSendQueue,
  newSendQueueCounters,
  type CorkableTransport,
  type SendPayload,
  type SendQueueCounters,
  type SendQueueOptions,
} from './bounded-send-queue.js';
export { drainSockets } from './graceful-drain.js';
export { PreparedTextFrame } from './prepared-text-frame.js';
export { isTransientFailure } from './transient-failure.js';
export { RealtimeClient, type SocketError } from './realtime-client.js';
export { RealtimeHub, type RealtimeHubOptions, type RealtimeHubStats } from './realtime-hub.js';
export { SubscribeMessageOnlyWsAdapter } from './subscribe-message-only-ws-adapter.js';
