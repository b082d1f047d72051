import { RealtimeHub } from '@remedy/realtime';
import type { ChatHubFactory } from '../src/chat/chat-hub.js';

/*
 * livestream:S1 — the design's chat service: "no specification of WebSocket connection limits per ECS task".
 * Every upgrade is accepted, so one task takes sockets until its memory (≈ 10 KB per socket) or its file
 * descriptors run out, and then every viewer on it suffers, not only the newcomers.
 *
 * unlimitedChatHub takes CHAT_HUB_FACTORY's place: the real gateway and hub, with no ceiling on sockets.
 */
export const unlimitedChatHub: ChatHubFactory = (options) =>
  new RealtimeHub({ ...options, maxConnections: Number.MAX_SAFE_INTEGER });

/* A close cousin, put back into the remediated service. */

/**
 * The limit kept, but rooms that stay inside one instance: each process publishes on channels of its own, so
 * a message reaches only the viewers connected to the instance that took it (chat split by load balancer).
 */
export const instanceLocalChatHub: ChatHubFactory = (options) =>
  new RealtimeHub({ ...options, channelPrefix: `${options.channelPrefix}instance-${process.pid}:` });
