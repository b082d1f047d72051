import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  limitAfterSignInHub,
  slotsNeverReleasedHub,
  unlimitedHub,
} from '../katas/c-5-unlimited-connections.flawed.js';
import { CHAT_HUB_FACTORY } from '../src/chat/chat-hub.js';
import { ChatGateway } from '../src/chat/chat.gateway.js';
import { ApiClient } from './support/api-client.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { startTestApp } from './support/start-test-app.js';

/** A small per-instance limit and the sockets opened past it: enough to show every variant with a wide margin. */
const LIMIT = 50;
const EXTRA = 20;
const TRY_AGAIN_LATER = 1013;

type Run = 'flawed' | 'remediated' | 'limit checked after sign-in' | 'slots never released';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: CHAT_HUB_FACTORY, useValue: unlimitedHub }],
  remediated: [],
  'limit checked after sign-in': [{ provide: CHAT_HUB_FACTORY, useValue: limitAfterSignInHub }],
  'slots never released': [{ provide: CHAT_HUB_FACTORY, useValue: slotsNeverReleasedHub }],
};

/**
 * Resolves once the server has either answered a ping or closed the socket. A refusal is sent the moment the
 * socket is accepted, so its close frame arrives before any pong: no timer decides which way a socket went.
 */
function settled(client: ChatTestClient): Promise<void> {
  let ponged = false;
  client.socket.once('pong', () => {
    ponged = true;
    client.socket.emit('message', Buffer.from('{"type":"(pong)"}'), false);
  });
  client.socket.ping();
  return client.until('pong or close', () => ponged || client.closeCode !== undefined);
}

async function openMany(wsUrl: string, count: number): Promise<ChatTestClient[]> {
  const clients: ChatTestClient[] = [];
  for (let i = 0; i < count; i += 1) clients.push(await ChatTestClient.open(wsUrl));
  await Promise.all(clients.map(settled));
  return clients;
}

/** Signs in every socket still open; resolves once each is signed in or closed. */
async function signIn(clients: ChatTestClient[], token: string): Promise<void> {
  await Promise.all(
    clients
      .filter((client) => client.isOpen)
      .map(async (client) => {
        client.send({ type: 'auth', token });
        await client.until(
          'sign-in or close',
          () => client.closeCode !== undefined || client.has('authenticated'),
        );
        await settled(client);
      }),
  );
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, { CHAT_MAX_CONNECTIONS: String(LIMIT) }, { plugs: PLUGS[run] });
  const gateway = app.app.get(ChatGateway);
  const opened: ChatTestClient[] = [];
  try {
    const api = new ApiClient(app.url);
    const member = await api.signup('c5_member@example.com');
    const wsUrl = app.url.replace(/^http/, 'ws');

    // 1. LIMIT + EXTRA sockets that have not signed in yet: how many does the instance hold?
    const first = await openMany(wsUrl, LIMIT + EXTRA);
    opened.push(...first);
    const heldBeforeSignIn = first.filter((client) => client.isOpen).length;
    const refusedWith1013 = first.filter((client) => client.closeCode === TRY_AGAIN_LATER).length;

    // 2. They sign in: how many are served? The instance still answers HTTP, and a served socket still works.
    await signIn(first, member.accessToken);
    const served = first.filter((client) => client.isOpen && client.has('authenticated')).length;
    const health = await api.call('GET', '/health');
    if (health.status !== 200) throw new Error(`/health answered ${health.status} at the socket limit`);
    const working = first.find((client) => client.isOpen && client.has('authenticated'));
    if (working !== undefined) {
      working.send({ type: 'leave' });
      await working.until('an answer from a served socket', () => working.has('error'));
    }

    // 3. Everyone leaves and LIMIT clients reconnect: the slots the first ones held are free again.
    await Promise.all(first.map((client) => client.close()));
    await waitFor(() => gateway.stats().connections === 0, 'every closed socket released by the server');
    const again = await openMany(wsUrl, LIMIT);
    opened.push(...again);
    await signIn(again, member.accessToken);
    const servedOnReconnect = again.filter((client) => client.isOpen && client.has('authenticated')).length;

    const beyondLimit = Math.max(0, heldBeforeSignIn - LIMIT) + Math.max(0, served - LIMIT);
    const lostSlots = LIMIT - servedOnReconnect;
    // A refusal the client cannot tell from a failure (not 1013) counts too: it would not back off and retry.
    const refusedOtherwise = LIMIT + EXTRA - heldBeforeSignIn - refusedWith1013;
    ctx.log(
      `${run}: held ${heldBeforeSignIn} before sign-in (1013: ${refusedWith1013}), served ${served}, ` +
        `${servedOnReconnect} of ${LIMIT} served on reconnect`,
    );
    return {
      value: beyondLimit + lostSlots + refusedOtherwise,
      details: {
        'per-instance limit (CHAT_MAX_CONNECTIONS)': LIMIT,
        'sockets opened': LIMIT + EXTRA,
        'held before signing in': heldBeforeSignIn,
        'refused with 1013': refusedWith1013,
        'served once signed in': served,
        '/health at the limit': health.status,
        [`served of ${LIMIT} reconnecting after all closed`]: servedOnReconnect,
      },
    };
  } finally {
    await Promise.all(opened.map((client) => client.close()));
    await app.close();
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export default defineFinding({
  id: 'polyglot-b:C-5',
  title: 'No per-instance connection limit: an instance serves every socket until it fails them all',
  explanation:
    'The design sets no WebSocket connection limit per instance and no capacity plan, so a surge is admitted until ' +
    'the instance runs out of memory or file descriptors for every socket it serves. The remedy (see ' +
    'docs/capacity-translation.md for the arithmetic): each instance admits at most CHAT_MAX_CONNECTIONS sockets, ' +
    'counted from the moment a socket is accepted, before it signs in, and released when it closes; past it a socket ' +
    'is closed at once with 1013 "try again later" so the client backs off or the load balancer sends it to another ' +
    `instance. Measured through the real gateway with a limit of ${LIMIT}: ${LIMIT + EXTRA} sockets opened, then ` +
    `signed in, then all closed and ${LIMIT} reconnecting; the value counts sockets held beyond the limit (before ` +
    'and after sign-in), slots not given back and refusals closed with another code than 1013.',
  fix: [
    'src/chat/chat.gateway.ts',
    '../../libs/realtime/src/connection-limiter.ts',
    '../../docs/capacity-translation.md',
  ],
  difficulty: 1,
  hints: [
    'What does one more socket cost an instance that already serves thousands?',
    'Decide how many sockets one instance serves, from memory per socket and file descriptors, and refuse the rest.',
    'Count a socket from the moment it is accepted until it closes, not from when it signs in.',
    'The technique: a per-instance connection limiter closing with 1013 (try again later).',
  ],
  seam: '/chat gateway hub factory (CHAT_HUB_FACTORY, Nest provider) ← katas/c-5-unlimited-connections.flawed.ts unlimitedHub',
  flawsPutBack: {
    'limit checked after sign-in':
      'limitAfterSignInHub: refuses with 1013 only once the socket has signed in, so unsigned sockets are held past it',
    'slots never released':
      'slotsNeverReleasedHub: counts each accepted socket but never frees its slot, so reconnecting clients are refused',
  },
  metric: {
    name: `sockets held beyond a limit of ${LIMIT} + slots not released after close + refusals without 1013`,
    unit: 'sockets',
    better: 'lower',
  },
  measure,
  flawed: (sockets) => sockets >= EXTRA,
  remediated: (sockets) => sockets === 0,
  timeoutMs: 60_000,
});
