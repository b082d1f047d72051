import { RealtimeHub, type RealtimeHubOptions } from '@remedy/realtime';
import type { AuthenticatedUser } from '@remedy/auth';

/** What the /chat gateway needs of its hub: admission, rooms, fan-out across instances, the send path. */
export type ChatHub = Pick<
  RealtimeHub<AuthenticatedUser>,
  'accept' | 'join' | 'leave' | 'roomsOf' | 'publish' | 'stats' | 'close'
>;

/**
 * Builds the gateway's hub from its options: where the per-instance connection limit is enforced and where a
 * room message crosses instances through Redis (livestream:S1).
 */
export type ChatHubFactory = (options: RealtimeHubOptions<AuthenticatedUser>) => ChatHub;

export const CHAT_HUB_FACTORY = Symbol('CHAT_HUB_FACTORY');

export const createChatHub: ChatHubFactory = (options) => new RealtimeHub(options);

/** One room per stream. */
export function streamRoom(streamId: string): string {
  return `stream:${streamId}`;
}
