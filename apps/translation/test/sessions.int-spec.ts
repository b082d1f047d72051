import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';

const ctx = useTestContext(translationHarness);

interface SessionBody {
  id: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
}

describe('sessions, participants and glossaries', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let organiser: AuthSessionBody;
  let viewer: AuthSessionBody;
  let otherOrganiser: AuthSessionBody;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    organiser = await api.signup('sessions_organiser@example.com');
    viewer = await api.addMember(organiser.accessToken, 'sessions_viewer@example.com', 'viewer');
    otherOrganiser = await api.signup('sessions_other@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  const outboxTopics = async (sessionId: string): Promise<string[]> => {
    const { rows } = await ctx.pool.query<{ topic: string }>(
      `SELECT topic FROM outbox WHERE payload->>'sessionId' = $1 ORDER BY id`,
      [sessionId],
    );
    return rows.map((row) => row.topic);
  };

  it('runs a session from scheduled to live to ended, each change once, ending twice answering the same', async () => {
    const session = await api.expect<SessionBody>(
      201,
      'POST',
      '/sessions',
      { title: 'Keynote', sourceLanguage: 'ja' },
      organiser.accessToken,
    );
    expect(session.status).toBe('scheduled');
    const started = await api.expect<SessionBody>(
      200,
      'POST',
      `/sessions/${session.id}/start`,
      undefined,
      organiser.accessToken,
    );
    expect(started.status).toBe('live');
    const ended = await api.expect<SessionBody>(
      200,
      'POST',
      `/sessions/${session.id}/end`,
      undefined,
      organiser.accessToken,
    );
    const again = await api.expect<SessionBody>(
      200,
      'POST',
      `/sessions/${session.id}/end`,
      undefined,
      organiser.accessToken,
    );
    expect(again).toEqual(ended);
    expect(ended.status).toBe('ended');
    await api.expect(409, 'POST', `/sessions/${session.id}/start`, undefined, organiser.accessToken);
    const read = await api.expect<SessionBody>(
      200,
      'GET',
      `/sessions/${session.id}`,
      undefined,
      viewer.accessToken,
    );
    expect(read).toEqual(ended);
    expect(await outboxTopics(session.id)).toEqual(['session.started', 'session.ended']);
  });

  it('keeps sessions inside their organisation and their changes to organisers', async () => {
    const session = await api.expect<SessionBody>(
      201,
      'POST',
      '/sessions',
      { title: 'Private', sourceLanguage: 'en' },
      organiser.accessToken,
    );
    await api.expect(404, 'GET', `/sessions/${session.id}`, undefined, otherOrganiser.accessToken);
    await api.expect(404, 'POST', `/sessions/${session.id}/end`, undefined, otherOrganiser.accessToken);
    await api.expect(403, 'POST', `/sessions/${session.id}/end`, undefined, viewer.accessToken);
    await api.expect(403, 'POST', '/sessions', { title: 'x', sourceLanguage: 'en' }, viewer.accessToken);
    const page = await api.expect<{ data: SessionBody[] }>(
      200,
      'GET',
      '/sessions?limit=100',
      undefined,
      otherOrganiser.accessToken,
    );
    expect(page.data.map((s) => s.id)).not.toContain(session.id);
  });

  it('joins idempotently, switches language, lists languages and leaves', async () => {
    const session = await api.expect<SessionBody>(
      201,
      'POST',
      '/sessions',
      { title: 'Panel', sourceLanguage: 'en' },
      organiser.accessToken,
    );
    const path = `/sessions/${session.id}/participants`;
    const first = await api.expect(200, 'POST', path, { language: 'fr' }, viewer.accessToken, {
      'Idempotency-Key': 'k1',
    });
    const replay = await api.expect(200, 'POST', path, { language: 'fr' }, viewer.accessToken, {
      'Idempotency-Key': 'k1',
    });
    expect(replay).toEqual(first);
    await api.expect(200, 'POST', path, { language: 'de' }, viewer.accessToken, { 'Idempotency-Key': 'k2' });
    // A late duplicate of the first join must not switch the language back.
    const late = await api.expect<{ language: string }>(
      200,
      'POST',
      path,
      { language: 'fr' },
      viewer.accessToken,
      {
        'Idempotency-Key': 'k1',
      },
    );
    expect(late.language).toBe('de');
    await api.expect(200, 'POST', path, { language: 'ja' }, organiser.accessToken);
    expect(
      await api.expect(200, 'GET', `/sessions/${session.id}/languages`, undefined, viewer.accessToken),
    ).toEqual([
      { language: 'de', participants: 1 },
      { language: 'ja', participants: 1 },
    ]);
    await api.expect(400, 'POST', path, { language: 'french' }, viewer.accessToken);
    await api.expect(400, 'POST', path, { language: 'fr' }, viewer.accessToken, {
      'Idempotency-Key': 'bad key!',
    });
    await api.expect(204, 'DELETE', `${path}/me`, undefined, viewer.accessToken);
    await api.expect(404, 'DELETE', `${path}/me`, undefined, viewer.accessToken);
    expect(await outboxTopics(session.id)).toEqual([
      'session.participant-joined',
      'session.participant-joined',
      'session.participant-joined',
      'session.participant-left',
    ]);
  });

  it('keeps one glossary per pair and bumps its version when its terms change', async () => {
    const created = await api.expect<{ id: string; version: number }>(
      201,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'ja', terms: [{ source: 'keynote', target: '基調講演' }] },
      organiser.accessToken,
    );
    expect(created.version).toBe(1);
    await api.expect(
      409,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'ja', terms: [] },
      organiser.accessToken,
    );
    await api.expect(
      400,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'en', terms: [] },
      organiser.accessToken,
    );
    const replaced = await api.expect<{ version: number; terms: unknown[] }>(
      200,
      'PUT',
      `/glossaries/${created.id}`,
      {
        terms: [
          { source: 'panel', target: 'パネル' },
          { source: 'keynote', target: 'キーノート' },
        ],
      },
      organiser.accessToken,
    );
    expect(replaced.version).toBe(2);
    expect(replaced.terms).toEqual([
      { source: 'keynote', target: 'キーノート' },
      { source: 'panel', target: 'パネル' },
    ]);
    const found = await api.expect<{ id: string; version: number }>(
      200,
      'GET',
      '/glossaries/lookup?sourceLanguage=en&targetLanguage=ja',
      undefined,
      organiser.accessToken,
    );
    expect(found).toMatchObject({ id: created.id, version: 2 });
    await api.expect(404, 'GET', `/glossaries/${created.id}`, undefined, otherOrganiser.accessToken);
    await api.expect(403, 'GET', `/glossaries/${created.id}`, undefined, viewer.accessToken);
    await api.expect(204, 'DELETE', `/glossaries/${created.id}`, undefined, organiser.accessToken);
    await api.expect(404, 'GET', `/glossaries/${created.id}`, undefined, organiser.accessToken);
  });
});
