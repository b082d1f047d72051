import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from './support/api-client.js';
import type { ChatInstanceJob } from './support/chat-instance-child.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { spawnChatInstance, type ChatInstance } from './support/spawn-chat-instance.js';

/** Users whose sockets instance B holds when instance A sends to them. */
const USERS = 3;
const SERVICE_RESTART = 1012;
const PRESENCE_TIMEOUT_MS = 10_000;

type Run = 'flawed' | 'remediated' | 'entries kept on drain';

const REGISTRY: Record<Run, ChatInstanceJob['registry']> = {
  flawed: 'in-process',
  remediated: 'redis',
  'entries kept on drain': 'entries kept on drain',
};

interface Presence {
  online: boolean;
  instances: number;
}

/**
 * Waits until `instance` reports the user online: a socket is entered in the registry just after it is told
 * `authenticated`, so the test asks the instance that holds it (every variant answers for its own sockets).
 */
async function untilOnline(api: ApiClient, token: string, userId: string): Promise<Presence> {
  const deadline = Date.now() + PRESENCE_TIMEOUT_MS;
  for (;;) {
    const presence = await api.expect<Presence>(200, 'GET', `/users/${userId}/presence`, undefined, token);
    if (presence.online) return presence;
    if (Date.now() > deadline) throw new Error(`${api.baseUrl}: user ${userId} not online after sign-in`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function noticesSaying(client: ChatTestClient, text: string): number {
  return client.ofType('notice').filter((frame) => frame['text'] === text).length;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const job = (registry: ChatInstanceJob['registry']): ChatInstanceJob => ({
    databaseUrl: ctx.databaseUrl,
    redisUrl: ctx.redisUrl,
    prefix: ctx.prefix,
    // Entries outlive the whole run unless something removes them: only the drain can.
    overrides: { CHAT_REGISTRY_TTL_SECONDS: '300', SHUTDOWN_GRACE_MS: '5000' },
    registry,
  });
  const instances: ChatInstance[] = [];
  const sockets: ChatTestClient[] = [];
  try {
    instances.push(
      ...(await Promise.all([spawnChatInstance(job(REGISTRY[run])), spawnChatInstance(job(REGISTRY[run]))])),
    );
    const [a, b] = instances as [ChatInstance, ChatInstance];
    const viaA = new ApiClient(a.url);
    const viaB = new ApiClient(b.url);
    const organiser = await viaA.signup('s2_organiser@example.com');
    const users: AuthSessionBody[] = [];
    for (let i = 0; i < USERS; i += 1)
      users.push(await viaA.addMember(organiser.accessToken, `s2_user${i}@example.com`, 'viewer'));

    // 1. Every user signs in on B; A sends each a notice, then B a second one on the same channel. Redis delivers
    //    one channel's messages in publish order, so once B's arrives, A's has arrived or never will.
    const onB = await Promise.all(users.map((user) => ChatTestClient.joined(b.wsUrl, user.accessToken)));
    sockets.push(...onB);
    for (const user of users) await untilOnline(viaB, organiser.accessToken, user.user.id);
    for (const user of users)
      await viaA.expect(
        202,
        'POST',
        `/users/${user.user.id}/notices`,
        { text: 'from A' },
        organiser.accessToken,
      );
    for (const user of users)
      await viaB.expect(
        202,
        'POST',
        `/users/${user.user.id}/notices`,
        { text: 'from B' },
        organiser.accessToken,
      );
    await Promise.all(
      onB.map((client) => client.until('the notice from B', () => noticesSaying(client, 'from B') > 0)),
    );
    const lost = onB.filter((client) => noticesSaying(client, 'from A') === 0).length;

    // 2. B is stopped (SIGTERM): its sockets are told 1012 and reconnect to A; the registry must show them on A only.
    await b.terminate();
    const closeCodes = await Promise.all(onB.map((client) => client.closed()));
    const notRestart = closeCodes.filter((code) => code !== SERVICE_RESTART).length;
    const onA = await Promise.all(users.map((user) => ChatTestClient.joined(a.wsUrl, user.accessToken)));
    sockets.push(...onA);
    let stale = 0;
    for (const user of users)
      stale += (await untilOnline(viaA, organiser.accessToken, user.user.id)).instances - 1;

    ctx.log(
      `${run}: ${lost} of ${USERS} notices from A lost, ${notRestart} closes not 1012, ${stale} stale entries after drain`,
    );
    return {
      value: lost + notRestart + stale,
      details: {
        'users on instance B': USERS,
        'notices sent from instance A not delivered': lost,
        'sockets closed on SIGTERM without 1012': notRestart,
        'registry entries left for the drained instance': stale,
      },
    };
  } finally {
    await Promise.all(sockets.map((client) => client.close()));
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}

export default defineFinding({
  id: 'polyglot-a:S-2',
  alsoCovers: ['polyglot-b:S-4'],
  title: 'WebSocket state lives in one process: a user on another instance cannot be reached',
  explanation:
    'The design keeps who is connected in each server’s memory, so an instance can reach only the sockets it holds, ' +
    'and a restart drops its clients without telling them where to go. The remedy (with polyglot-b:S-4): a connection ' +
    'registry in Redis, one hash per user naming the instances that hold the user’s sockets with a count each, kept ' +
    'alive by a heartbeat and ignored once an instance’s liveness key expires; a message for a user is published to ' +
    'those instances’ channels; on SIGTERM an instance closes every socket with 1012 (reconnect) and removes its ' +
    `entries. Measured with two app instances in separate processes: ${USERS} users signed in on B, an organiser on ` +
    'A sends each a notice (a notice from B on the same channel marks when A’s must have arrived); then B is ' +
    'stopped, its clients reconnect to A, and A’s presence answer counts the instances still listed.',
  fix: [
    'src/chat/connection-registry.ts',
    'src/chat/chat-presence.ts',
    'src/chat/user-notices.controller.ts',
    'src/chat/chat.gateway.ts',
  ],
  difficulty: 2,
  hints: [
    'Instance A gets a message for a user; which process holds that user’s socket, and how would A know?',
    'Keep the answer to “where is this user connected” outside every instance, with an expiry for instances that die.',
    'A stopping instance must tell its clients to reconnect, and take itself out of the answer.',
    'The technique: a connection registry in Redis (user → instances, TTL + heartbeat), per-instance pub/sub channels and a 1012 drain.',
  ],
  seam: '/chat connection registry (CHAT_CONNECTION_REGISTRY, Nest provider) ← katas/s-2-in-process-registry.flawed.ts InProcessConnectionRegistry',
  flawsPutBack: {
    'entries kept on drain':
      'EntriesKeptOnDrainRegistry: the registry in Redis, but neither a closed socket nor the drain removes the instance’s entries',
  },
  metric: {
    name: `notices lost (of ${USERS}) + drain closes without 1012 + entries left for the drained instance`,
    unit: 'faults',
    better: 'lower',
  },
  measure,
  flawed: (faults) => faults >= USERS,
  remediated: (faults) => faults === 0,
  timeoutMs: 240_000,
});
