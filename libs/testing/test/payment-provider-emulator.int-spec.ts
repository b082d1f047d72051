import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PaymentProviderEmulator, waitUntil } from '@remedy/testing';

describe('PaymentProviderEmulator', () => {
  let provider: PaymentProviderEmulator;

  beforeEach(async () => {
    provider = await PaymentProviderEmulator.start();
  });

  afterEach(async () => {
    await provider.stop();
  });

  const charge = (params: Record<string, string>, key?: string, signal?: AbortSignal) =>
    fetch(`${provider.url}/v1/charges`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_emulator',
        'content-type': 'application/x-www-form-urlencoded',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: new URLSearchParams(params).toString(),
      signal,
    });

  it('charges once per idempotency key, answers a repeat with the same charge and a changed repeat with 400', async () => {
    const first = await charge({ amount: '500', currency: 'usd' }, 'key-1');
    const again = await charge({ amount: '500', currency: 'usd' }, 'key-1');
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const changed = await charge({ amount: '600', currency: 'usd' }, 'key-1');
    expect(changed.status).toBe(400);
    expect(((await changed.json()) as { error: { type: string } }).error.type).toBe('idempotency_error');
    expect(provider.chargesFor('key-1')).toBe(1);
    expect(provider.received).toBe(3);
  });

  it('refuses a bad key, amount or currency like Stripe', async () => {
    const noKey = await fetch(`${provider.url}/v1/charges`, {
      method: 'POST',
      body: 'amount=500&currency=usd',
    });
    expect(noKey.status).toBe(401);
    expect((await charge({ amount: '10', currency: 'usd' })).status).toBe(400);
    expect((await charge({ amount: '500', currency: 'xxx' })).status).toBe(400);
    expect(provider.chargeCount).toBe(0);
  });

  it('loses the answer after charging when told to, so only the key prevents a second charge', async () => {
    provider.failNext({ kind: 'status', status: 500, charge: true });
    expect((await charge({ amount: '500', currency: 'usd' }, 'key-2')).status).toBe(500);
    expect((await charge({ amount: '500', currency: 'usd' }, 'key-2')).status).toBe(200);
    provider.failNext({ kind: 'status', status: 503, charge: true });
    await charge({ amount: '500', currency: 'usd' });
    await charge({ amount: '500', currency: 'usd' });
    expect(provider.chargesFor('key-2')).toBe(1);
    expect(provider.chargeCount).toBe(3);
  });

  it('holds hanging calls until released: one the caller gives up is abandoned, one still waiting is released', async () => {
    provider.hanging = true;
    const givenUp = charge({ amount: '500', currency: 'usd' }, 'key-3', AbortSignal.timeout(50));
    await expect(givenUp).rejects.toThrow();
    await waitUntil('the given-up call abandoned', () => provider.abandoned === 1, 10_000);
    const waiting = charge({ amount: '500', currency: 'usd' }, 'key-4');
    await waitUntil('the waiting call held', () => provider.heldOpen === 1, 10_000);
    expect(provider.releaseHeld()).toBe(1);
    await expect(waiting).rejects.toThrow();
    expect({
      abandoned: provider.abandoned,
      released: provider.released,
      heldOpen: provider.heldOpen,
    }).toEqual({
      abandoned: 1,
      released: 1,
      heldOpen: 0,
    });
  });
});
