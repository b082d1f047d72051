import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { total, useTestContext, waitUntil } from '@remedy/testing';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { ChatTestClient } from '../findings/support/chat-test-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStreamer } from '../findings/support/seed-live-stream.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { ChatGateway } from '../src/chat/chat.gateway.js';

const ctx = useTestContext(liveStreamingHarness);

const HISTORY_LENGTH = 5;
const MESSAGES_PER_WINDOW = 3;

describe('WebSocket /chat', () => {
  let app: TestApp;
  let api: ApiClient;
  let member: SessionBody;
  let streamId: string;
  const open: ChatTestClient[] = [];

  const viewer = async (token?: string, stream = streamId): Promise<ChatTestClient> => {
    const client = await ChatTestClient.joined(
      app.wsUrl,
      token ?? (await signAccessToken(app.config, randomUUID())),
      stream,
    );
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    app = await startTestApp(ctx, {
      CHAT_MESSAGES_PER_WINDOW: String(MESSAGES_PER_WINDOW),
      CHAT_RATE_WINDOW_SECONDS: '3600',
      CHAT_HISTORY_LENGTH: String(HISTORY_LENGTH),
      VIEWER_BUCKET_SECONDS: '1',
      VIEWER_FLUSH_INTERVAL_MS: '50',
    });
    api = new ApiClient(app.url);
    member = await api.signup('chat_member@example.com');
    ({ streamId } = await seedLiveStreamer(ctx.pool, 'chat_streamer'));
  });

  afterAll(async () => {
    await Promise.all(open.map((client) => client.close()));
    await app?.close();
  });

  it.each([
    ['no token', () => Promise.resolve({ type: 'auth' })],
    ['a malformed token', () => Promise.resolve({ type: 'auth', token: 'not.a.jwt' })],
    [
      'an expired token',
      async () => ({ type: 'auth', token: await signAccessToken(app.config, randomUUID(), -60) }),
    ],
    [
      'a token signed with another secret',
      async () => ({
        type: 'auth',
        token: await signAccessToken(
          {
            ...app.config,
            auth: { ...app.config.auth, accessTokenSecret: 'another-secret-0123456789abcdef0123' },
          },
          randomUUID(),
        ),
      }),
    ],
    ['a command before authenticating', () => Promise.resolve({ type: 'join', streamId: randomUUID() })],
  ])('refuses a socket whose first message carries %s: auth-failed, 1008', async (_case, first) => {
    const client = await ChatTestClient.open(app.wsUrl);
    client.send(await first());
    expect(await client.closed()).toBe(1008);
    expect(client.errorCodes()).toEqual(['auth-failed']);
    expect(client.has('authenticated')).toBe(false);
  });

  it('refuses a token in the URL before reading anything', async () => {
    const inUrl = await ChatTestClient.open(app.wsUrl, `?token=${member.accessToken}`);
    expect(await inUrl.closed()).toBe(1008);
    expect(inUrl.errorCodes()).toEqual(['token-in-url']);
  });

  it('closes a socket that never authenticates once CHAT_AUTH_TIMEOUT_MS has passed', async () => {
    // An instance of its own with a short deadline, and this socket its only one: a deadline shared with the
    // suite's sockets would race each one's sign-in on a loaded machine.
    const quick = await startTestApp(ctx, { CHAT_AUTH_TIMEOUT_MS: '300' });
    try {
      const silent = await ChatTestClient.open(quick.wsUrl);
      expect(await silent.closed()).toBe(1008);
      expect(silent.errorCodes()).toEqual(['auth-timeout']);
    } finally {
      await quick.close();
    }
  });

  it('answers bad frames with error frames and keeps serving the socket', async () => {
    const client = await viewer(member.accessToken);
    const frames: Array<[string | Uint8Array | object, string, string?]> = [
      ['{"type":', 'bad-json'],
      [new Uint8Array([1, 2, 3]), 'bad-json'],
      [[1, 2], 'invalid-message', '(message)'],
      [{ type: 'shout' }, 'invalid-message', 'type'],
      [{ type: 'send' }, 'invalid-message', 'text'],
      [{ type: 'send', text: 'x'.repeat(501) }, 'invalid-message', 'text'],
      [{ type: 'send', text: 'nul \u0000 byte' }, 'invalid-message', 'text'],
      [{ type: 'send', text: 'lone \ud800 surrogate' }, 'invalid-message', 'text'],
      [{ type: 'join', streamId: 'not-a-uuid' }, 'invalid-message', 'streamId'],
      [{ type: 'join', streamId, role: 'admin' }, 'invalid-message', 'role'],
      [{ type: 'join', streamId: randomUUID() }, 'stream-not-live', 'streamId'],
    ];
    for (const [frame, code, field] of frames) {
      const before = client.ofType('error').length;
      if (typeof frame === 'string' || frame instanceof Uint8Array) client.sendRaw(frame);
      else client.send(frame);
      await client.until(
        `an error for ${JSON.stringify(frame)}`,
        () => client.ofType('error').length > before,
      );
      const error = client.ofType('error')[before]!;
      expect({ frame, code: error['code'] }).toEqual({ frame, code });
      if (field !== undefined) expect(JSON.stringify(error['details'])).toContain(`"field":"${field}"`);
    }
    // The socket still works: it is in its room and its line comes back to it.
    client.send({ type: 'send', text: 'still here' });
    await client.until('its own line', () =>
      client.ofType('message').some((m) => m['text'] === 'still here'),
    );
    expect(client.isOpen).toBe(true);
    const ended = await ctx.pool.query<{ id: string }>(
      `INSERT INTO streams (user_id, title, category, status, ended_at) VALUES ($1, 'over', 'other', 'ended', now()) RETURNING id`,
      [member.user.id],
    );
    client.send({ type: 'join', streamId: ended.rows[0]!.id });
    await client.until('stream-not-live', () => client.errorCodes().includes('stream-not-live'));
  });

  it('fans a line out to the room with the sender name, keeps a capped history with a TTL and sends it on join', async () => {
    const { streamId: room } = await seedLiveStreamer(ctx.pool, 'history_streamer');
    const first = await viewer(member.accessToken, room);
    const second = await viewer(undefined, room);
    first.send({ type: 'send', text: 'hello room' });
    for (const client of [first, second])
      await client.until('the line', () => client.ofType('message').some((m) => m['text'] === 'hello room'));
    expect(second.ofType('message')[0]).toMatchObject({
      userId: member.user.id,
      username: 'chat_member',
      streamId: room,
    });

    // Two more senders fill the history past its cap (each sender is rate-limited on its own).
    for (const [label, sender] of [
      ['second', second],
      ['third', await viewer(undefined, room)],
    ] as const) {
      const lines = Array.from({ length: MESSAGES_PER_WINDOW }, (_, index) => `${label} ${index}`);
      for (const text of lines) sender.send({ type: 'send', text });
      await sender.until(`${label}'s lines`, () =>
        lines.every((text) => sender.ofType('message').some((message) => message['text'] === text)),
      );
    }
    const late = await viewer(undefined, room);
    const recent = late.ofType('joined')[0]!['recent'] as Array<{ text: string }>;
    expect(recent).toHaveLength(HISTORY_LENGTH);
    expect(recent.map((line) => line.text)).not.toContain('hello room');
    const key = `${app.config.redis.keyPrefix}chat:history:${room}`;
    expect(await ctx.redis.llen(key)).toBe(HISTORY_LENGTH);
    const ttl = await ctx.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(app.config.chat.historyTtlSeconds);
  });

  it('tells the room when its stream ends, and refuses to join it again', async () => {
    const { streamId: room, streamerId } = await seedLiveStreamer(ctx.pool, 'ending_streamer');
    const watching = await viewer(undefined, room);
    await api.expect(
      200,
      'POST',
      `/streams/${room}/end`,
      undefined,
      await signAccessToken(app.config, streamerId),
    );
    await watching.until('the end notice', () => watching.has('ended'));
    expect(watching.ofType('ended')).toEqual([{ type: 'ended', streamId: room }]);
    watching.send({ type: 'join', streamId: room });
    await watching.until('the refusal', () => watching.errorCodes().includes('stream-not-live'));
  });

  it('rate-limits a user across sockets, with the time to wait', async () => {
    const token = await signAccessToken(app.config, randomUUID());
    const [one, two] = [await viewer(token), await viewer(token)];
    for (let index = 0; index < MESSAGES_PER_WINDOW; index += 1)
      (index % 2 === 0 ? one : two).send({ type: 'send', text: `burst ${index}` });
    await one.until(
      'the burst',
      () =>
        one.ofType('message').filter((m) => String(m['text']).startsWith('burst')).length ===
        MESSAGES_PER_WINDOW,
    );
    two.send({ type: 'send', text: 'one too many' });
    await two.until('rate-limited', () => two.errorCodes().includes('rate-limited'));
    const error = two.ofType('error').find((frame) => frame['code'] === 'rate-limited')!;
    expect((error['details'] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(two.isOpen).toBe(true);
  });

  it('sends a line to Redis as one command: the limit, the history and the PUBLISH in one script, nothing read first', async () => {
    const author = await api.signup('chat_one_command@example.com');
    const sender = await viewer(author.accessToken);
    const line = async (text: string): Promise<void> => {
      sender.send({ type: 'send', text });
      await sender.until(text, () => sender.ofType('message').some((m) => m['text'] === text));
    };
    await line('the first line reads the name');
    expect(sender.ofType('message')[0]!['username']).toBe('chat_one_command');
    const monitor = await ctx.redis.monitor();
    const commands: Array<{ name: string; source: string }> = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args.some((arg) => arg.includes(author.user.id)))
        commands.push({ name: args[0]!.toLowerCase(), source });
    });
    try {
      await line('the second goes as it is');
      await waitUntil('the monitor to show the PUBLISH', () =>
        commands.some((command) => command.name === 'publish'),
      );
    } finally {
      monitor.disconnect();
    }
    // Every command that named the sender, whichever connection sent it: the service's, and the script's own.
    expect(commands.filter((command) => command.source !== 'lua').map((command) => command.name)).toEqual([
      'evalsha',
    ]);
    expect(commands.filter((command) => command.source === 'lua').map((command) => command.name)).toEqual([
      'incr',
      'expire',
      'lpush',
      'publish',
    ]);
  });

  it('counts viewers by heartbeat: a closed tab stops counting within the window', async () => {
    const { streamId: room } = await seedLiveStreamer(ctx.pool, 'viewers_streamer');
    const staying = await viewer(undefined, room);
    const leaving = await viewer(undefined, room);
    const count = async (): Promise<{ viewers: number; windowSeconds: number }> =>
      api.expect(200, 'GET', `/streams/${room}/viewers`, undefined, member.accessToken);
    expect(await count()).toEqual({ streamId: room, viewers: 2, windowSeconds: 2 });

    await leaving.close();
    const heartbeats = setInterval(() => staying.send({ type: 'heartbeat' }), 250);
    try {
      await waitUntil('the closed tab to stop counting', async () => (await count()).viewers === 1, 10_000);
    } finally {
      clearInterval(heartbeats);
    }
    expect((await count()).viewers).toBe(1);
    await api.expect(400, 'GET', '/streams/not-a-uuid/viewers', undefined, member.accessToken);
    await api.expect(401, 'GET', `/streams/${room}/viewers`);
  });

  it('reports this instance\'s chat sockets in websocket_connections{gateway="chat"}', async () => {
    const before = await chatGauge(app.url);
    const extra = await viewer();
    expect(await chatGauge(app.url)).toBe(before + 1);
    await extra.close();
    await waitUntil('the gauge to drop', async () => (await chatGauge(app.url)) === before, 5_000);
  });

  it("times each line's way through the server on /metrics: send → publish, publish → read, window wait, fan-out", async () => {
    const counts = async (): Promise<Record<string, number>> => {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      return Object.fromEntries(
        [
          'chat_send_to_publish_seconds_count',
          'websocket_room_message_transit_seconds_count',
          'websocket_room_frame_wait_seconds_count',
          'websocket_room_fanout_seconds_count',
        ].map((name) => [name, total(text, name)]),
      );
    };
    const before = await counts();
    const sender = await viewer();
    sender.send({ type: 'send', text: 'timed on the server' });
    await sender.until('its echo', () =>
      sender.ofType('message').some((m) => m['text'] === 'timed on the server'),
    );
    await waitUntil(
      'the fan-out timed',
      async () =>
        (await counts())['websocket_room_fanout_seconds_count']! >
        before['websocket_room_fanout_seconds_count']!,
    );
    const after = await counts();
    for (const name of Object.keys(before)) expect(after[name]).toBe(before[name]! + 1);
  });
});

describe('WebSocket /chat slow consumers', () => {
  let app: TestApp;
  let streamId: string;

  beforeAll(async () => {
    app = await startTestApp(ctx, {
      CHAT_SEND_HIGH_WATER_BYTES: '1024',
      CHAT_MAX_PENDING_MESSAGES: '8',
      CHAT_MESSAGES_PER_WINDOW: '10000',
      CHAT_MAX_MESSAGE_LENGTH: '4000',
      // A frame per line: each line waits for its echo, so a window would only add its wait to every one.
      CHAT_FRAME_WINDOW_MS: '0',
    });
    ({ streamId } = await seedLiveStreamer(ctx.pool, 'slow_streamer'));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('closes a socket that stops reading with 4008 once its send queue is full, and keeps serving the others', async () => {
    const token = async (): Promise<string> => signAccessToken(app.config, randomUUID());
    const sender = await ChatTestClient.joined(app.wsUrl, await token(), streamId);
    const slow = await ChatTestClient.joined(app.wsUrl, await token(), streamId);
    slow.socket.pause();
    // Each line waits for its echo to the sender, so the server is never more than one line ahead of it.
    const line = 'x'.repeat(4_000);
    let sent = 0;
    for (; sent < 5_000 && slow.closeCode === undefined && !slowClosedOnServer(app); sent += 1) {
      sender.send({ type: 'send', text: line });
      await sender.until(`echo ${sent}`, () => sender.ofType('message').length > sent);
    }
    expect(slowClosedOnServer(app)).toBe(true);
    slow.socket.resume();
    expect(await slow.closed()).toBe(4008);
    expect(sender.isOpen).toBe(true);
    sender.send({ type: 'send', text: 'after' });
    await sender.until('its line after the close', () =>
      sender.ofType('message').some((m) => m['text'] === 'after'),
    );
    await sender.close();
  });
});

function slowClosedOnServer(app: TestApp): boolean {
  return app.app.get(ChatGateway).stats().closedSlow > 0;
}

async function chatGauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((candidate) => /^websocket_connections\{[^}]*gateway="chat"/.test(candidate));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}
