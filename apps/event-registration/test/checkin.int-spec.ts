import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PurposeTokens } from '@remedy/auth';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { TEST_SECRETS } from '../findings/support/test-config.js';

const ctx = useTestContext(eventRegistrationHarness);

interface CheckinBody {
  alreadyCheckedIn: boolean;
  registration: { id: string; status: string; version: number; checkedInAt: string };
  details?: { field: string; message: string }[];
}

describe('QR check-in', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let organiser: SessionBody;
  let otherOrganiser: SessionBody;
  let eventId: string;
  let counter = 0;

  async function registeredWithQr(): Promise<{
    session: SessionBody;
    registrationId: string;
    token: string;
  }> {
    const session = await api.signup(`qr-${(counter += 1)}@example.com`);
    const reg = await api.call<{ id: string }>(
      'POST',
      `/events/${eventId}/registrations`,
      undefined,
      session.accessToken,
    );
    const qr = await api.call<{ token: string; qrDataUrl: string }>(
      'GET',
      `/registrations/${reg.body.id}/qr`,
      undefined,
      session.accessToken,
    );
    expect(qr.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    return { session, registrationId: reg.body.id, token: qr.body.token };
  }

  const checkin = (token: string, as: SessionBody = organiser, deskEventId?: string) =>
    api.call<CheckinBody>(
      'POST',
      '/checkin',
      { token, ...(deskEventId ? { eventId: deskEventId } : {}) },
      as.accessToken,
    );

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    const organiserId = await seedOrganiser(ctx.pool, 'desk@example.com');
    await seedOrganiser(ctx.pool, 'other-desk@example.com');
    organiser = await api.login('desk@example.com');
    otherOrganiser = await api.login('other-desk@example.com');
    eventId = (await seedEvent(ctx.pool, { organiserId, capacity: 50 })).id;
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('a valid code checks in once; scanning it again changes nothing', async () => {
    const { token, registrationId } = await registeredWithQr();
    const first = await checkin(token);
    expect(first).toMatchObject({
      status: 200,
      body: {
        alreadyCheckedIn: false,
        registration: { id: registrationId, status: 'checked_in', version: 2 },
      },
    });
    const second = await checkin(token);
    expect(second).toMatchObject({
      status: 200,
      body: { alreadyCheckedIn: true, registration: { version: 2 } },
    });
    expect(second.body.registration.checkedInAt).toBe(first.body.registration.checkedInAt);
  });

  it('a forged code (other secret) is 401 bad-signature, an expired one 401 expired', async () => {
    const { registrationId } = await registeredWithQr();
    const forger = new PurposeTokens({
      secret: 'forged-forged-forged-forged-forged-forged',
      issuer: testApp.config.auth.issuer,
    });
    const forged = await checkin(await forger.sign('checkin', { registrationId, eventId }, 3600));
    expect(forged).toMatchObject({
      status: 401,
      body: { details: [{ field: 'token', message: 'bad-signature' }] },
    });
    const genuine = new PurposeTokens({
      secret: TEST_SECRETS.QR_TOKEN_SECRET,
      issuer: testApp.config.auth.issuer,
      clock: () => Date.now() - 7_200_000,
    });
    const expired = await checkin(await genuine.sign('checkin', { registrationId, eventId }, 3600));
    expect(expired).toMatchObject({
      status: 401,
      body: { details: [{ field: 'token', message: 'expired' }] },
    });
    const wrongPurpose = await checkin(
      await genuine.sign('password-reset', { registrationId, eventId }, 7 * 3600 * 24),
    );
    expect(wrongPurpose).toMatchObject({
      status: 401,
      body: { details: [{ field: 'token', message: 'wrong-purpose' }] },
    });
  });

  it("another event's desk or organiser gets 403; an attendee cannot check in at all", async () => {
    const { token, session } = await registeredWithQr();
    expect((await checkin(token, organiser, '00000000-0000-4000-8000-000000000000')).status).toBe(403);
    expect((await checkin(token, otherOrganiser)).status).toBe(403);
    expect((await checkin(token, session)).status).toBe(403);
  });

  it('a cancelled registration cannot check in, and a checked-in one cannot be cancelled', async () => {
    const cancelled = await registeredWithQr();
    await api.call(
      'DELETE',
      `/registrations/${cancelled.registrationId}`,
      undefined,
      cancelled.session.accessToken,
    );
    expect((await checkin(cancelled.token)).status).toBe(409);
    const attended = await registeredWithQr();
    await checkin(attended.token);
    const cancel = await api.call(
      'DELETE',
      `/registrations/${attended.registrationId}`,
      undefined,
      attended.session.accessToken,
    );
    expect(cancel).toMatchObject({ status: 409, body: { message: expect.stringContaining('checked_in') } });
  });

  it('cancelling the event cancels its registrations, refuses their QR and check-in, and mails each', async () => {
    const organiserId = (
      await ctx.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = 'desk@example.com'`)
    ).rows[0]!.id;
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 1, title: 'Cancelled talk' });
    const seated = await api.signup(`qr-${(counter += 1)}@example.com`);
    const waiting = await api.signup(`qr-${(counter += 1)}@example.com`);
    const seat = await api.call<{ id: string }>(
      'POST',
      `/events/${event.id}/registrations`,
      undefined,
      seated.accessToken,
    );
    const wait = await api.call<{ id: string; status: string }>(
      'POST',
      `/events/${event.id}/registrations`,
      undefined,
      waiting.accessToken,
    );
    expect(wait.body.status).toBe('waitlisted');
    const qr = await api.call<{ token: string }>(
      'GET',
      `/registrations/${seat.body.id}/qr`,
      undefined,
      seated.accessToken,
    );
    const cancel = await api.call<{ status: string; remainingCapacity: number }>(
      'POST',
      `/events/${event.id}/cancel`,
      { version: 1 },
      organiser.accessToken,
    );
    expect(cancel).toMatchObject({ status: 200, body: { status: 'cancelled', remainingCapacity: 1 } });
    const { rows } = await ctx.pool.query<{ status: string }>(
      'SELECT status FROM registrations WHERE event_id = $1 ORDER BY status',
      [event.id],
    );
    expect(rows).toEqual([{ status: 'cancelled' }, { status: 'cancelled' }]);
    expect((await checkin(qr.body.token)).status).toBe(409);
    const qrAgain = await api.call('GET', `/registrations/${seat.body.id}/qr`, undefined, seated.accessToken);
    expect(qrAgain.status).toBe(409);
    const outbox = await ctx.pool.query<{ id: string }>(
      `SELECT payload->>'registrationId' AS id FROM outbox
        WHERE topic = 'registration.event-cancelled' AND payload->>'eventId' = $1 ORDER BY 1`,
      [event.id],
    );
    expect(outbox.rows.map((row) => row.id)).toEqual([seat.body.id, wait.body.id].sort());
  });
});
