import { RealtimeHub, type RealtimeHubOptions } from '@remedy/realtime';
import type { DashboardPrincipal } from './dashboard-token.service.js';

/** What the /live gateway needs of its hub: admission, rooms, the fan-out of room messages, the send path. */
export type LiveHub = Pick<
  RealtimeHub<DashboardPrincipal>,
  'accept' | 'join' | 'leave' | 'roomsOf' | 'publishMany' | 'stats' | 'close'
>;

/**
 * Builds the gateway's hub from its options. The hub is where a room message crosses instances (through
 * Redis, V-14) and where each socket's bounded send queue lives (V-07).
 */
export type LiveHubFactory = (options: RealtimeHubOptions<DashboardPrincipal>) => LiveHub;

export const LIVE_HUB_FACTORY = Symbol('LIVE_HUB_FACTORY');

export const createLiveHub: LiveHubFactory = (options) => new RealtimeHub(options);
