import { beforeEach, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { MessageInProgressError, runOnce, runOnceWithRedis, type SqlExecutor } from '../src/index.js';

const ctx = useTestContext(outboxHarness);

async function credit(tx: SqlExecutor, messageId: string): Promise<void> {
  await tx.query(`INSERT INTO kata_credits (message_id, account, amount) VALUES ($1, 'acct', 10)`, [
    messageId,
  ]);
  await tx.query(
    `INSERT INTO kata_accounts (account, balance) VALUES ('acct', 10) ON CONFLICT (account) DO UPDATE SET balance = kata_accounts.balance + 10`,
  );
}

async function balance(): Promise<number> {
  const { rows } = await ctx.pool.query<{ balance: string }>(
    `SELECT balance FROM kata_accounts WHERE account = 'acct'`,
  );
  return Number(rows[0]?.balance ?? 0);
}

async function deliver(messageId: string, effect = credit): Promise<boolean> {
  const client = await ctx.pool.connect();
  try {
    return (await runOnce(client, 'ledger', messageId, (tx) => effect(tx, messageId))).applied;
  } finally {
    client.release();
  }
}

beforeEach(async () => {
  await ctx.pool.query('TRUNCATE kata_credits, kata_accounts, processed_messages');
});

describe('runOnce (Postgres)', () => {
  test('a redelivered message has no second effect', async () => {
    expect(await deliver('m-1')).toBe(true);
    expect(await deliver('m-1')).toBe(false);
    expect(await deliver('m-1')).toBe(false);
    expect(await balance()).toBe(10);
  });

  test('concurrent deliveries of one message apply it once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => deliver('m-2')));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await balance()).toBe(10);
  });

  test('a failed effect rolls back its own writes and the mark, so the retry applies it once', async () => {
    const failing = async (tx: SqlExecutor, messageId: string): Promise<void> => {
      await credit(tx, messageId);
      throw new Error('downstream failed');
    };
    await expect(deliver('m-3', failing)).rejects.toThrow('downstream failed');
    expect(await deliver('m-3')).toBe(true);
    expect(await balance()).toBe(10);
  });

  test('the mark is per consumer: another consumer still applies its own effect', async () => {
    const client = await ctx.pool.connect();
    try {
      expect((await runOnce(client, 'ledger', 'm-4', async () => 'a')).applied).toBe(true);
      expect(await runOnce(client, 'mailer', 'm-4', async () => 'b')).toEqual({ applied: true, value: 'b' });
    } finally {
      client.release();
    }
  });
});

describe('runOnceWithRedis', () => {
  const options = (): { ttlMs: number; leaseMs: number; keyPrefix: string } => ({
    ttlMs: 60_000,
    leaseMs: 5_000,
    keyPrefix: ctx.key(''),
  });

  test('a redelivered message has no second effect, and the marker expires with its TTL', async () => {
    let sent = 0;
    const send = async (): Promise<number> => (sent += 1);
    expect(await runOnceWithRedis(ctx.redis, 'mailer', 'r-1', send, options())).toEqual({
      applied: true,
      value: 1,
    });
    expect(await runOnceWithRedis(ctx.redis, 'mailer', 'r-1', send, options())).toEqual({ applied: false });
    expect(sent).toBe(1);
    const ttl = await ctx.redis.pttl(`${options().keyPrefix}processed:mailer:r-1`);
    expect(ttl).toBeGreaterThan(50_000);
  });

  test('a delivery racing one in progress is told to retry later, and a failure frees the id', async () => {
    let release: () => void = () => undefined;
    const slow = runOnceWithRedis(
      ctx.redis,
      'mailer',
      'r-2',
      () => new Promise<void>((resolve) => (release = resolve)),
      options(),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(
      runOnceWithRedis(ctx.redis, 'mailer', 'r-2', async () => undefined, options()),
    ).rejects.toBeInstanceOf(MessageInProgressError);
    release();
    expect((await slow).applied).toBe(true);

    await expect(
      runOnceWithRedis(ctx.redis, 'mailer', 'r-3', () => Promise.reject(new Error('smtp down')), options()),
    ).rejects.toThrow('smtp down');
    expect((await runOnceWithRedis(ctx.redis, 'mailer', 'r-3', async () => 'sent', options())).applied).toBe(
      true,
    );
  });
});
