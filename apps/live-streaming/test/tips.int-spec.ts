import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentProviderEmulator, useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { postTip } from '../findings/support/post-tip.js';
import { seedLiveStream } from '../findings/support/seed-live-stream.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import type { TipDto } from '../src/tips/tip.dto.js';

const ctx = useTestContext(liveStreamingHarness);

describe('tips', () => {
  let provider: PaymentProviderEmulator;
  let testApp: TestApp;
  let streamer: SessionBody;
  let viewer: SessionBody;
  let streamId: string;

  beforeAll(async () => {
    provider = await PaymentProviderEmulator.start();
    testApp = await startTestApp(ctx, {
      PAYMENT_API_URL: provider.url,
      PAYMENT_TIMEOUT_MS: '2000',
      PAYMENT_ATTEMPTS: '3',
      PAYMENT_RETRY_DELAY_MS: '10',
    });
    const api = new ApiClient(testApp.url);
    streamer = await api.signup('tips_streamer@example.com');
    viewer = await api.signup('tips_viewer@example.com');
    streamId = await seedLiveStream(ctx.pool, streamer.user.id);
  });

  afterAll(async () => {
    await testApp.close();
    await provider.stop();
  });

  const tip = (key: string | undefined, body: unknown, token = viewer.accessToken, stream = streamId) =>
    postTip(testApp.url, token, stream, key, body);

  it('charges a tip once and answers a retry with the same key with the same tip', async () => {
    const first = await tip('tip-once-0001', { amountCents: 500 });
    expect(first.status).toBe(201);
    const created = first.body as unknown as TipDto;
    expect(created).toMatchObject({
      streamId,
      streamerId: streamer.user.id,
      amountCents: 500,
      currency: 'usd',
      status: 'succeeded',
    });
    const callsBefore = provider.received;
    const again = await tip('tip-once-0001', { amountCents: 500 });
    expect(again).toMatchObject({ status: 201, body: created });
    expect(provider.received).toBe(callsBefore);
    expect(provider.chargesFor(`tip_${created.id}`)).toBe(1);
  });

  it('refuses the same key for a different tip', async () => {
    await tip('tip-reuse-0001', { amountCents: 700 });
    expect((await tip('tip-reuse-0001', { amountCents: 800 })).status).toBe(409);
  });

  it('retries a 429 and a 503 from the provider with the same key and charges once', async () => {
    const chargesBefore = provider.chargeCount;
    provider.failNext({ kind: 'status', status: 429, charge: false });
    provider.failNext({ kind: 'status', status: 503, charge: true });
    const answer = await tip('tip-retried-0001', { amountCents: 300 });
    expect(answer.status).toBe(201);
    expect(provider.chargeCount - chargesBefore).toBe(1);
    expect(provider.chargesFor(`tip_${String(answer.body['id'])}`)).toBe(1);
  });

  it('answers a declined card with 402, again on a retry, without calling the provider again', async () => {
    provider.failNext({ kind: 'decline' });
    expect((await tip('tip-declined-0001', { amountCents: 400 })).status).toBe(402);
    const callsBefore = provider.received;
    expect((await tip('tip-declined-0001', { amountCents: 400 })).status).toBe(402);
    expect(provider.received).toBe(callsBefore);
  });

  it('exports the breaker state and the charge outcomes on /metrics', async () => {
    const metrics = await (await fetch(`${testApp.url}/metrics`)).text();
    expect(metrics).toMatch(/^live_payment_breaker_state\{[^}]*\} 0$/m);
    expect(metrics).toMatch(/^live_payment_charges_total\{[^}]*outcome="charged"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^live_payment_charges_total\{[^}]*outcome="402"[^}]*\} 1$/m);
  });

  it('requires a signed-in viewer', async () => {
    const response = await fetch(`${testApp.url}/streams/${streamId}/tips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'tip-anonymous-01' },
      body: JSON.stringify({ amountCents: 500 }),
    });
    expect(response.status).toBe(401);
  });

  it('refuses amounts out of bounds or not whole cents, and a missing or malformed key, before any provider call', async () => {
    const callsBefore = provider.received;
    for (const body of [
      { amountCents: 99 },
      { amountCents: 50_001 },
      { amountCents: 0 },
      { amountCents: -500 },
      { amountCents: 1.5 },
      { amountCents: '500' },
      { amountCents: null },
      {},
    ]) {
      const answer = await tip('tip-bad-amount-01', body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    for (const key of [undefined, 'short', 'has space in it', 'x'.repeat(101), 'ünïcode-key']) {
      const answer = await tip(key, { amountCents: 500 });
      expect({ key, status: answer.status }).toEqual({ key, status: 400 });
    }
    expect(provider.received).toBe(callsBefore);
  });

  it('answers 404 for an unknown stream, 400 for a malformed id and for a tip to your own stream', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await tip('tip-unknown-0001', { amountCents: 500 }, viewer.accessToken, unknown)).status).toBe(
      404,
    );
    expect(
      (await tip('tip-unknown-0001', { amountCents: 500 }, viewer.accessToken, 'not-a-uuid')).status,
    ).toBe(400);
    expect((await tip('tip-own-stream-01', { amountCents: 500 }, streamer.accessToken)).status).toBe(400);
  });
});
