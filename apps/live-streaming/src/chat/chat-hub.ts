import { RealtimeHub, type RealtimeHubOptions } from '@remedy/realtime';
import type { AuthenticatedUser } from '@remedy/auth';
import type { AppConfig } from '../config.js';

/**
 * What the /chat gateway needs of its hub: admission, rooms, fan-out across instances, the send path (a chat line is
 * published on `channelOf` its room by ChatLinePublisher's script).
 */
export type ChatHub = Pick<
  RealtimeHub<AuthenticatedUser>,
  'accept' | 'join' | 'leave' | 'roomsOf' | 'publish' | 'channelOf' | 'stats' | 'close'
>;

/**
 * Builds the gateway's hub from its options: where the per-instance connection limit is enforced and where a
 * room message crosses instances through Redis (livestream:S1).
 */
export type ChatHubFactory = (options: RealtimeHubOptions<AuthenticatedUser>) => ChatHub;

export const CHAT_HUB_FACTORY = Symbol('CHAT_HUB_FACTORY');

export const createChatHub: ChatHubFactory = (options) => new RealtimeHub(options);

/** The Redis channel prefix of /chat's rooms: the worker publishes user notices on it too. */
export function chatChannelPrefix(config: AppConfig): string {
  return `${config.redis.keyPrefix}chat:`;
}

/** One room per signed-in user: every socket of theirs, on any instance, gets their notices. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** One room per stream. */
export function streamRoom(streamId: string): string {
  return `stream:${streamId}`;
}
