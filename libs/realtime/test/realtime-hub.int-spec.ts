import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS, ROOM_MESSAGE_WIRE_LUA, wallClockMs } from '../src/index.js';
import { connect, connectAndJoin, startHubServer, type HubServer } from './support/hub-server.js';

const ctx = useTestContext({ name: 'realtime' });

describe('RealtimeHub on real sockets and a real Redis', () => {
  const servers: HubServer[] = [];
  const start = async (
    ...args: Parameters<typeof startHubServer> extends [string, string, ...infer R] ? R : never
  ) => {
    const server = await startHubServer(ctx.redisUrl, `${ctx.prefix}:rt:`, ...args);
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  test('a message published on instance A reaches sockets of that room on A and B, and nobody else', async () => {
    const a = await start();
    const b = await start();
    const onA = await connectAndJoin(a.url, 'ward:1');
    const onB = await connectAndJoin(b.url, 'ward:1');
    const otherRoom = await connectAndJoin(b.url, 'ward:2');

    await a.hub.publish('ward:1', { type: 'reading', value: 72 });

    await waitUntil('both instances to deliver', () =>
      [onA, onB].every((client) => client.messages.some((m) => m.type === 'reading')),
    );
    expect(onB.messages.filter((m) => m.type === 'reading')).toEqual([{ type: 'reading', value: 72 }]);
    expect(otherRoom.messages.some((m) => m.type === 'reading')).toBe(false);
    for (const client of [onA, onB, otherRoom]) client.socket.close();
  });

  test('a room frame is serialized and framed once per instance: every connection is written the same bytes, as text', async () => {
    const a = await start();
    const b = await start();
    const clients = [
      ...(await Promise.all([1, 2, 3].map(() => connectAndJoin(a.url, 'room:crowd')))),
      ...(await Promise.all([1, 2, 3].map(() => connectAndJoin(b.url, 'room:crowd')))),
    ];
    // What each server-side connection is written from here on: one frame object per serialization.
    const writtenTo = (server: HubServer): unknown[] => {
      const chunks: unknown[] = [];
      for (const transport of server.transports) {
        const write = transport.write.bind(transport);
        transport.write = (chunk: unknown, ...rest: unknown[]) => {
          chunks.push(chunk);
          return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
        };
      }
      return chunks;
    };
    const onA = writtenTo(a);
    const onB = writtenTo(b);
    const binaryFrames: boolean[] = [];
    for (const client of clients) client.socket.on('message', (_, isBinary) => binaryFrames.push(isBinary));

    await a.hub.publish('room:crowd', { type: 'message', text: 'grüße' });

    await waitUntil('every socket of the room to receive it', () =>
      clients.every((client) => client.messages.some((m) => m.type === 'message')),
    );
    for (const chunks of [onA, onB]) {
      expect(chunks).toHaveLength(3);
      expect(chunks.every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
      expect(new Set(chunks).size).toBe(1);
    }
    // A browser must get text it can parse, not a binary frame (a Blob).
    expect(binaryFrames).toEqual(clients.map(() => false));
    expect(clients.map((client) => client.messages.at(-1))).toEqual(
      clients.map(() => ({ type: 'message', text: 'grüße' })),
    );
    for (const client of clients) client.socket.close();
  });

  test('prepared frames of every length encoding arrive whole, in order with the frames ws writes itself', async () => {
    const a = await start({ frameWindowMs: 0 });
    const client = await connectAndJoin(a.url, 'room:sizes');
    // 7-bit, 16-bit and 64-bit payload lengths (RFC 6455 §5.2), with multi-byte characters in each.
    const texts = [10, 200, 70_000].map((length) => 'é'.repeat(length / 2));
    for (const text of texts) await a.hub.publish('room:sizes', { type: 'message', text });
    await waitUntil(
      'the three messages',
      () => client.messages.filter((m) => m.type === 'message').length === 3,
    );
    expect(client.messages.filter((m) => m.type === 'message').map((m) => m.text)).toEqual(texts);
    client.socket.close();
  });

  test('with permessage-deflate negotiated, room frames go through ws (compressed) and still arrive in order', async () => {
    const a = await start({}, { perMessageDeflate: { threshold: 0 } });
    const client = await connectAndJoin(a.url, 'room:deflate', { perMessageDeflate: true });
    expect(a.sockets.at(-1)!.extensions).toContain('permessage-deflate');
    const written: Buffer[] = [];
    const transport = a.transports.at(-1)!;
    const write = transport.write.bind(transport);
    transport.write = (chunk: Buffer, ...rest: unknown[]) => {
      written.push(chunk);
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    };

    const text = 'compress me '.repeat(100);
    await a.hub.publishMany(
      Array.from({ length: 5 }, (_, n) => ({ room: 'room:deflate', message: { type: 'message', n, text } })),
    );
    await waitUntil(
      'the five messages',
      () => client.messages.filter((m) => m.type === 'message').length === 5,
    );
    expect(client.messages.filter((m) => m.type === 'message').map((m) => m.n)).toEqual([0, 1, 2, 3, 4]);
    // Nothing went out uncompressed: no written chunk holds the message text as it is.
    expect(written.some((chunk) => Buffer.from(chunk).includes('compress me compress me'))).toBe(false);
    client.socket.close();
  });

  test('the frames of one room batch leave the socket in one write, not one per message', async () => {
    const a = await start();
    const client = await connectAndJoin(a.url, 'ward:busy');
    // Writes the server's TCP socket hands to the kernel (Writable calls _writev for several chunks at once).
    const transport = a.transports.at(-1)! as unknown as Record<
      '_write' | '_writev',
      (...args: never[]) => void
    >;
    let writes = 0;
    for (const method of ['_write', '_writev'] as const) {
      const original = transport[method].bind(transport);
      transport[method] = (...args: never[]) => {
        writes += 1;
        original(...args);
      };
    }

    const messages = 20;
    await a.hub.publishMany(
      Array.from({ length: messages }, (_, n) => ({ room: 'ward:busy', message: { type: 'reading', n } })),
    );
    await waitUntil(
      'the batch to arrive',
      () => client.messages.filter((m) => m.type === 'reading').length === messages,
    );
    expect(writes).toBeLessThanOrEqual(2);
    client.socket.close();
  });

  test('with a frame window, the messages of one window leave as one batch frame; a keyed one flushes it first', async () => {
    const a = await start({ frameWindowMs: 50, frameWindowMinSockets: 1 });
    const client = await connectAndJoin(a.url, 'room:chat');
    const framesBefore = client.messages.length;
    // One Redis message for the room: all ten reach the instance at once, inside one window.
    await a.hub.publishMany([
      ...Array.from({ length: 10 }, (_, n) => ({ room: 'room:chat', message: { type: 'message', n } })),
      { room: 'room:chat', message: { type: 'viewers', count: 3 }, key: 'viewers' },
      { room: 'room:chat', message: { type: 'message', n: 10 } },
    ]);
    await waitUntil('the frames', () => client.messages.length === framesBefore + 4);
    // The room was quiet: its first message goes at once, the rest of the window's as one batch.
    expect(client.messages.slice(framesBefore)).toEqual([
      { type: 'message', n: 0 },
      { type: 'batch', messages: Array.from({ length: 9 }, (_, n) => ({ type: 'message', n: n + 1 })) },
      { type: 'viewers', count: 3 },
      { type: 'message', n: 10 },
    ]);
    client.socket.close();
  });

  test("a frame window counts from the message's PUBLISH: one read a window late goes at once", async () => {
    // A window of a minute: a message held from its read would not leave within the test's time.
    const a = await start({ frameWindowMs: 60_000, frameWindowMinSockets: 1 });
    const client = await connectAndJoin(a.url, 'room:late');
    // The room was quiet: this one goes at once, and the next opens a window.
    await a.hub.publish('room:late', { type: 'message', n: 0 });
    await waitUntil('the first message', () => client.messages.some((m) => m.type === 'message'));
    // As a publisher would put it on the wire, published two minutes ago (read late, after a long fan-out).
    const publisher = new Redis(ctx.redisUrl);
    try {
      await publisher.publish(
        `${ctx.prefix}:rt:room:late`,
        JSON.stringify([['{"type":"message","n":1}', null, Date.now() - 120_000]]),
      );
    } finally {
      publisher.disconnect();
    }
    await waitUntil('the late message, without waiting the window again', () =>
      client.messages.some((m) => m.type === 'message' && m['n'] === 1),
    );
    client.socket.close();
  });

  test("a message a Redis script publishes with ROOM_MESSAGE_WIRE_LUA reaches the room as sent, timed from the caller's clock", async () => {
    const transit: number[] = [];
    const a = await start({
      timings: { transit: (ms) => transit.push(ms), frameWait: () => {}, fanOut: () => {} },
    });
    const client = await connectAndJoin(a.url, 'room:scripted');
    // What JSON escapes, what cjson escapes besides (/), and characters beyond ASCII, as one payload.
    const sent = { type: 'message', text: 'a "quote", a / and a \\, a\nline, é, 日本, 🎉' };
    const publisher = new Redis(ctx.redisUrl);
    try {
      const subscribers = await publisher.eval(
        `${ROOM_MESSAGE_WIRE_LUA}\nreturn redis.call('PUBLISH', ARGV[1], room_message_wire(ARGV[2], ARGV[3]))`,
        0,
        a.hub.channelOf('room:scripted'),
        JSON.stringify(sent),
        String(wallClockMs()),
      );
      expect(subscribers).toBe(1);
    } finally {
      publisher.disconnect();
    }
    await waitUntil('the scripted message', () => client.messages.some((m) => m.type === 'message'));
    expect(client.messages.filter((m) => m.type === 'message')).toEqual([sent]);
    expect(transit).toHaveLength(1);
    expect(transit[0]).toBeGreaterThanOrEqual(0);
    client.socket.close();
  });

  test('timings: each instance reports every message read from Redis and its wait, and each frame fanned out', async () => {
    const recorders = [1, 2].map(() => ({
      transit: [] as number[],
      frameWait: [] as number[],
      fanOut: [] as number[],
    }));
    const timed = (recorder: (typeof recorders)[number]) => ({
      transit: (ms: number) => recorder.transit.push(ms),
      frameWait: (ms: number) => recorder.frameWait.push(ms),
      fanOut: (ms: number) => recorder.fanOut.push(ms),
    });
    const a = await start({ frameWindowMs: 50, frameWindowMinSockets: 1, timings: timed(recorders[0]!) });
    const b = await start({ frameWindowMs: 50, frameWindowMinSockets: 1, timings: timed(recorders[1]!) });
    const clients = [await connectAndJoin(a.url, 'room:timed'), await connectAndJoin(b.url, 'room:timed')];
    // One Redis message of three: the first finds the room quiet and goes at once, the other two as one batch.
    await a.hub.publishMany(
      Array.from({ length: 3 }, (_, n) => ({ room: 'room:timed', message: { type: 'message', n } })),
    );
    await waitUntil('both frames on both instances', () =>
      clients.every((client) => client.messages.some((m) => m.type === 'batch')),
    );
    await waitUntil('the second fan-out timed', () =>
      recorders.every((recorder) => recorder.fanOut.length === 2),
    );
    for (const recorder of recorders) {
      expect(recorder.transit).toHaveLength(3);
      expect(recorder.frameWait).toHaveLength(3);
      expect(recorder.fanOut).toHaveLength(2);
      expect([...recorder.frameWait, ...recorder.fanOut].every((ms) => ms >= 0)).toBe(true);
      expect(recorder.transit.every((ms) => Number.isFinite(ms))).toBe(true);
    }
    for (const client of clients) client.socket.close();
  });

  test('a room with fewer local sockets than frameWindowMinSockets gets each message at once, unbatched', async () => {
    const a = await start({ frameWindowMs: 1_000, frameWindowMinSockets: 3 });
    const small = await Promise.all([1, 2].map(() => connectAndJoin(a.url, 'room:small')));
    const large = await Promise.all([1, 2, 3].map(() => connectAndJoin(a.url, 'room:large')));
    const messages = (room: string) =>
      Array.from({ length: 4 }, (_, n) => ({ room, message: { type: 'message', n } }));
    await a.hub.publishMany([...messages('room:small'), ...messages('room:large')]);
    // The large room's batch (all but its first message, which found the room quiet) is held for the 1 s window;
    // the small room's four frames arrive before it.
    await waitUntil("the small room's four frames", () =>
      small.every((client) => client.messages.filter((m) => m.type === 'message').length === 4),
    );
    await waitUntil("the large room's one batch", () =>
      large.every((client) => client.messages.some((m) => m.type === 'batch')),
    );
    for (const client of large)
      expect(client.messages.filter((m) => m.type === 'batch' || m.type === 'message')).toEqual([
        { type: 'message', n: 0 },
        { type: 'batch', messages: Array.from({ length: 3 }, (_, n) => ({ type: 'message', n: n + 1 })) },
      ]);
    for (const client of [...small, ...large]) client.socket.close();
  });

  test('an instance unsubscribes from a room when its last socket leaves', async () => {
    const a = await start();
    const client = await connectAndJoin(a.url, 'patient:9');
    expect(a.hub.stats().rooms).toBe(1);
    client.socket.close();
    await client.closed;
    await waitUntil('the room to be released', () => a.hub.stats().rooms === 0);
  });

  test('a join resolves only once Redis delivers the room to the instance, for the second socket as for the first', async () => {
    const publisher = new Redis(ctx.redisUrl);
    const subscriber = new Redis(ctx.redisUrl);
    const gate = `${ctx.prefix}:subscribe-gate`;
    // Holds the instance's subscriber connection: Redis runs the SUBSCRIBE queued behind this BLPOP once it returns.
    const held = subscriber.blpop(gate, 0);
    const requested: string[] = [];
    let welcomed = 0;
    const a: HubServer = await start({
      redis: { publisher, subscriber },
      onMessage: async (client, message) => {
        const { join, user } = message as { join: string; user: string };
        requested.push(user);
        await a.hub.join(client, join);
        // Published the moment the join resolves: it must reach the socket that joined.
        await a.hub.publish(join, { type: 'welcome', user });
        welcomed += 1;
      },
    });
    const clients = await Promise.all(['first', 'second'].map(() => connect(a.url)));
    ['first', 'second'].forEach((user, n) => {
      clients[n]!.socket.send(JSON.stringify({ token: 'good' }));
      clients[n]!.socket.send(JSON.stringify({ join: 'room:held', user }));
    });
    await waitUntil('both joins to reach the hub', () => requested.length === 2);
    // A welcome published by a join that did not wait is in Redis now, ahead of this PING on the same connection.
    await publisher.ping();

    await ctx.redis.lpush(gate, 'go');
    await held;
    await waitUntil('both joins to resolve', () => welcomed === 2);
    await a.hub.publish('room:held', { type: 'end' });
    await waitUntil('the end to reach both', () =>
      clients.every((client) => client.messages.some((m) => m.type === 'end')),
    );

    for (const client of clients) {
      const welcomes = client.messages.filter((m) => m.type === 'welcome').map((m) => m.user);
      expect(welcomes.sort()).toEqual(['first', 'second']);
      client.socket.close();
    }
    await a.close();
    publisher.disconnect();
    subscriber.disconnect();
  });

  test('a handler that hits a Redis timeout answers a retryable unavailable, a bug answers internal', async () => {
    // A real timeout: a blocking pop on a key nobody pushes to, past the client's commandTimeout.
    const redis = new Redis(ctx.redisUrl, { commandTimeout: 100 });
    const a = await start({
      onMessage: async (client, message) => {
        if ((message as { pop?: boolean }).pop) await redis.blpop(`${ctx.prefix}:rt:never-pushed`, 0);
        else throw new Error('a bug in the handler');
      },
    });
    try {
      const client = await connect(a.url);
      client.socket.send(JSON.stringify({ token: 'good' }));
      client.socket.send(JSON.stringify({ pop: true }));
      client.socket.send(JSON.stringify({ bug: true }));
      await waitUntil('both answers', () => client.messages.filter((m) => m.type === 'error').length === 2);
      expect(client.messages.filter((m) => m.type === 'error')).toEqual([
        expect.objectContaining({ code: 'unavailable', retryable: true }),
        { type: 'error', code: 'internal', message: 'the message could not be handled' },
      ]);
      client.socket.close();
    } finally {
      redis.disconnect();
    }
  });

  test('past the connection limit a socket is closed with 1013 and a reason', async () => {
    const a = await start({ maxConnections: 2 });
    const first = await connect(a.url);
    const second = await connect(a.url);
    const third = await connect(a.url);
    await expect(third.closed).resolves.toEqual({
      code: CLOSE_CODES.tryAgainLater,
      reason: CLOSE_REASONS.connectionLimit,
    });
    expect(a.hub.stats()).toMatchObject({ connections: 2, refused: 1 });
    first.socket.close();
    second.socket.close();
  });

  test('a token in the URL is refused with 1008, before any authentication', async () => {
    const authenticate = jest.fn(() => ({ user: 'x' }));
    const a = await start({ authenticate });
    const client = await connect(`${a.url}/?token=good`);
    await expect(client.closed).resolves.toEqual({
      code: CLOSE_CODES.policyViolation,
      reason: CLOSE_REASONS.tokenInUrl,
    });
    expect(client.messages).toEqual([
      { type: 'error', code: 'token-in-url', message: CLOSE_REASONS.tokenInUrl },
    ]);
    expect(authenticate).not.toHaveBeenCalled();
  });

  test('a socket that does not authenticate before the deadline is closed with 1008', async () => {
    const a = await start({ authTimeoutMs: 100 });
    const client = await connect(a.url);
    await expect(client.closed).resolves.toEqual({
      code: CLOSE_CODES.policyViolation,
      reason: CLOSE_REASONS.authTimeout,
    });
  });

  test('a bad credential is refused; messages sent before the answer wait for it', async () => {
    const a = await start({
      authenticate: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (message as { token: string }).token === 'good' ? { user: 'nurse' } : null;
      },
    });
    const bad = await connect(a.url);
    bad.socket.send(JSON.stringify({ token: 'forged' }));
    await expect(bad.closed).resolves.toEqual({
      code: CLOSE_CODES.policyViolation,
      reason: CLOSE_REASONS.authFailed,
    });

    const good = await connect(a.url);
    good.socket.send(JSON.stringify({ token: 'good' }));
    good.socket.send(JSON.stringify({ join: 'ward:3' }));
    good.socket.send(JSON.stringify({ join: 'ward:4' }));
    await waitUntil('the early messages to be handled', () => good.messages.length >= 3);
    expect(good.messages).toEqual([
      { type: 'authenticated' },
      { type: 'joined', room: 'ward:3' },
      { type: 'joined', room: 'ward:4' },
    ]);
    good.socket.send('not json');
    await waitUntil('the bad frame to be answered', () => good.messages.length >= 4);
    expect(good.messages[3]).toEqual({
      type: 'error',
      code: 'bad-json',
      message: 'message is not valid JSON',
    });
    good.socket.close();
  });

  test('a consumer that stops reading holds bounded memory: keyed messages coalesce to the latest', async () => {
    const a = await start({ sendQueue: { highWaterMarkBytes: 32 * 1024, maxPendingMessages: 50 } });
    const slow = await connectAndJoin(a.url, 'ward:slow');
    const socket = slow.socket as unknown as { _socket: { pause(): void; resume(): void } };
    socket._socket.pause();

    const padding = 'x'.repeat(400);
    const patients = Array.from({ length: 20 }, () => randomUUID());
    const rounds = 1_000;
    for (let round = 0; round < rounds; round += 1) {
      await a.hub.publishMany(
        patients.map((patientId) => ({
          room: 'ward:slow',
          message: { type: 'reading', patientId, round, padding },
          key: patientId,
        })),
      );
    }
    const sentBytes = rounds * patients.length * 500;
    await waitUntil('every published message to reach the hub', () => {
      const { sent, coalesced, dropped, pendingMessages } = a.hub.stats();
      return sent + coalesced + dropped + pendingMessages >= rounds * patients.length;
    });
    const stats = a.hub.stats();
    // ~10 MB went out; the hub holds at most one waiting message per patient plus the socket's buffer.
    expect(stats.heldBytes).toBeLessThan(sentBytes / 10);
    expect(stats.coalesced).toBeGreaterThan(0);

    socket._socket.resume();
    await waitUntil('the latest round of every patient to arrive', () =>
      patients.every((patientId) =>
        slow.messages.some((m) => m.patientId === patientId && m.round === rounds - 1),
      ),
    );
    slow.socket.close();
  });

  test("with overflow 'close', a consumer that stops reading is closed with 4008 and the others keep receiving", async () => {
    const a = await start({
      sendQueue: { highWaterMarkBytes: 16 * 1024, maxPendingMessages: 20, overflow: 'close' },
    });
    const slow = await connectAndJoin(a.url, 'room:chat');
    const reader = await connectAndJoin(a.url, 'room:chat');
    const socket = slow.socket as unknown as { _socket: { pause(): void; resume(): void } };
    socket._socket.pause();

    // Unkeyed lines, as in a chat: none may be dropped silently, so the slow socket is closed instead.
    const padding = 'x'.repeat(4_000);
    let published = 0;
    while (a.hub.stats().closedSlow === 0 && published < 20_000) {
      await a.hub.publishMany(
        Array.from({ length: 50 }, (_, index) => ({
          room: 'room:chat',
          message: { type: 'line', n: published + index, padding },
        })),
      );
      published += 50;
      await waitUntil(
        'the reader to keep up',
        () => reader.messages.filter((m) => m.type === 'line').length >= published,
      );
    }
    expect(a.hub.stats().closedSlow).toBe(1);
    socket._socket.resume();
    await expect(slow.closed).resolves.toEqual({ code: CLOSE_CODES.tooSlow, reason: CLOSE_REASONS.tooSlow });
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);
    reader.socket.close();
  });

  test('drain closes every socket with 1012 "service restart, reconnect" and refuses new ones', async () => {
    const a = await start();
    const client = await connectAndJoin(a.url, 'ward:4');
    await a.hub.drain();
    await expect(client.closed).resolves.toEqual({
      code: CLOSE_CODES.serviceRestart,
      reason: CLOSE_REASONS.draining,
    });
    const late = await connect(a.url);
    await expect(late.closed).resolves.toMatchObject({ code: CLOSE_CODES.serviceRestart });
  });

  test("drain sends a large room's held frame to every socket, a slice at a time, before closing any", async () => {
    // Five sockets, two a slice: the held frame is written over three turns of the event loop, and drain waits for it.
    const read: number[] = [];
    const a = await start({
      frameWindowMs: 60_000,
      frameWindowMinSockets: 1,
      fanOutSliceSockets: 2,
      timings: { transit: (ms) => read.push(ms), frameWait: () => {}, fanOut: () => {} },
    });
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => connectAndJoin(a.url, 'room:closing')));
    // The room was quiet: the first goes at once; the second waits in the window, which only the drain ends.
    await a.hub.publish('room:closing', { type: 'message', n: 0 });
    await waitUntil('the first message everywhere', () =>
      clients.every((client) => client.messages.some((m) => m.type === 'message')),
    );
    await a.hub.publish('room:closing', { type: 'message', n: 1 });
    await waitUntil('the second to be read from Redis (and held)', () => read.length === 2);
    await a.hub.drain();
    for (const client of clients) {
      await expect(client.closed).resolves.toMatchObject({ code: CLOSE_CODES.serviceRestart });
      expect(client.messages.filter((m) => m.type === 'message').map((m) => m['n'])).toEqual([0, 1]);
    }
  });
});
