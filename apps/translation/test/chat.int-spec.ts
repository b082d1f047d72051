import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { ChatTestClient } from '../findings/support/chat-test-client.js';
import { organiserWithLiveSession, type SessionBody } from '../findings/support/session-fixtures.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';

const ctx = useTestContext(translationHarness);

describe('WebSocket /chat', () => {
  let app: TestApp;
  let wsUrl: string;
  let api: ApiClient;
  let organiser: AuthSessionBody;
  let session: SessionBody;
  const open: ChatTestClient[] = [];

  const track = (client: ChatTestClient): ChatTestClient => {
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    app = await startTestApp(ctx);
    wsUrl = app.url.replace(/^http/, 'ws');
    api = new ApiClient(app.url);
    ({ organiser, session } = await organiserWithLiveSession(api, 'chat_organiser@example.com'));
    await api.expect(
      200,
      'POST',
      `/sessions/${session.id}/participants`,
      { language: 'de' },
      organiser.accessToken,
    );
  });

  afterAll(async () => {
    await Promise.all(open.map((client) => client.close()));
    await app.close();
  });

  it('authenticates with the token in the first message and joins a session in the participant row language', async () => {
    const client = track(await ChatTestClient.joined(wsUrl, organiser.accessToken, session.id));
    expect(client.ofType('joined')[0]).toMatchObject({ sessionId: session.id, language: 'de' });
  });

  it.each([
    ['?token=', 'token-in-url'],
    ['?access_token=', 'token-in-url'],
    ['?key=', 'query-string'],
  ])('refuses a credential in the URL (%s) with 1008 before reading anything', async (query, code) => {
    const client = track(await ChatTestClient.open(wsUrl, `${query}${organiser.accessToken}`));
    expect(await client.closed()).toBe(1008);
    expect(client.errorCodes()).toEqual([code]);
    expect(client.has('authenticated')).toBe(false);
  });

  it('refuses a bad token and a command before authenticating', async () => {
    for (const first of [
      { type: 'auth', token: 'not-a-jwt' },
      { type: 'join', sessionId: session.id },
    ]) {
      const client = track(await ChatTestClient.open(wsUrl));
      client.send(first);
      expect(await client.closed()).toBe(1008);
      expect(client.errorCodes()).toEqual(['auth-failed']);
    }
  });

  it('closes a socket that never authenticates once CHAT_AUTH_TIMEOUT_MS has passed', async () => {
    // An instance of its own with a short deadline, and this socket its only one: a deadline shared with the
    // suite's sockets would race each one's sign-in on a loaded machine.
    const quick = await startTestApp(ctx, { CHAT_AUTH_TIMEOUT_MS: '300' });
    try {
      const silent = track(await ChatTestClient.open(quick.url.replace(/^http/, 'ws')));
      expect(await silent.closed()).toBe(1008);
      expect(silent.errorCodes()).toEqual(['auth-timeout']);
    } finally {
      await quick.close();
    }
  });

  it('answers bad frames and sessions the user is not in with field-level errors and keeps the socket', async () => {
    const client = track(await ChatTestClient.joined(wsUrl, organiser.accessToken));
    const frames: Array<[string | object, string, string?]> = [
      ['{"type":', 'bad-json'],
      [[1, 2], 'invalid-message', '(message)'],
      [{ type: 'shout' }, 'invalid-message', 'type'],
      [{ type: 'join', sessionId: 'not-a-uuid' }, 'invalid-message', 'sessionId'],
      [{ type: 'join', sessionId: session.id, role: 'admin' }, 'invalid-message', 'role'],
      [{ type: 'join', sessionId: randomUUID() }, 'not-a-participant', 'sessionId'],
      [{ type: 'leave' }, 'not-joined'],
    ];
    for (const [frame, code, field] of frames) {
      const before = client.ofType('error').length;
      client.send(frame);
      await client.until(code, () => client.ofType('error').length > before);
      const error = client.ofType('error').at(-1)!;
      expect(error['code']).toBe(code);
      if (field !== undefined) expect(JSON.stringify(error['details'])).toContain(`"field":"${field}"`);
    }
    expect(client.isOpen).toBe(true);
  });
});
