import type { PushConfig } from '../../config.js';
import { PushProviderClient, type MobilePush } from './push-provider.client.js';

/** Sends one mobile push to many users; `idempotencyKey` is the same on every retry of the same push. */
export interface PushProvider {
  send(push: MobilePush, idempotencyKey: string): Promise<void>;
}

export const PUSH_PROVIDER = Symbol('PUSH_PROVIDER');

/** Without PUSH_API_URL mobile push is off: notices are still stored and pushed over WebSocket. */
const mobilePushOff: PushProvider = { send: () => Promise.resolve() };

export function createPushProvider(config: PushConfig): PushProvider {
  const { apiUrl } = config;
  return apiUrl === undefined ? mobilePushOff : new PushProviderClient({ ...config, apiUrl });
}
