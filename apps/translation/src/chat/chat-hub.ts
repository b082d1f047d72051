import type { AuthenticatedUser } from '@remedy/auth';
import { RealtimeHub, type RealtimeHubOptions } from '@remedy/realtime';
import type { AppConfig } from '../config.js';

/** What the /chat gateway needs of its hub: admission, rooms, fan-out across instances, the send path. */
export type ChatHub = Pick<
  RealtimeHub<AuthenticatedUser>,
  'accept' | 'join' | 'leave' | 'publish' | 'stats' | 'close'
>;

/**
 * Builds the gateway's hub from its options: where a socket is admitted or refused (a credential in the URL,
 * polyglot-b:I-1; the per-instance connection limit) and where a room message crosses instances through Redis.
 */
export type ChatHubFactory = (options: RealtimeHubOptions<AuthenticatedUser>) => ChatHub;

export const CHAT_HUB_FACTORY = Symbol('CHAT_HUB_FACTORY');

export const createChatHub: ChatHubFactory = (options) => new RealtimeHub(options);

/** The Redis channel prefix of /chat's rooms. */
export function chatChannelPrefix(config: AppConfig): string {
  return `${config.redis.keyPrefix}chat:`;
}

/** One room per translation session. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * One room per session and language: a message is translated once per language and published once to each
 * language's room, which every instance delivers to its sockets that read the session in that language.
 */
export function sessionLanguageRoom(sessionId: string, language: string): string {
  return `session:${sessionId}:language:${language}`;
}

/** One room per session and language: a listener receives the captions of the language it joined in. */
export function captionRoom(sessionId: string, language: string): string {
  return `captions:${sessionId}:${language}`;
}
