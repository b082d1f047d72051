import type pg from 'pg';
import type { OutboxRecord } from './outbox-message.js';
import { releaseUncompletedOutboxRows, type RedeliveryOptions } from './outbox-completion.js';
import { OutboxNotificationListener } from './outbox-notification-listener.js';
import {
  claimBatch,
  markPublished,
  measureOutboxLag,
  recordFailures,
  type ScheduledRetry,
} from './outbox-relay-queries.js';
import type { PublishReport, QueuePublisher } from './queue-publisher.js';
import { DEFAULT_RETRY_BACKOFF, retryDelayMs, type RetryBackoffOptions } from './retry-backoff.js';

export interface OutboxRelayMetrics {
  published?(count: number): void;
  failed?(count: number): void;
  /** Rows published but never completed within the visibility timeout, handed back to be published again. */
  redelivered?(count: number): void;
  /** Age in seconds of the oldest unpublished row, probed after every batch. */
  lag?(seconds: number): void;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  publisher: QueuePublisher;
  /** Rows claimed per transaction (1..1000, default 100): bounds memory, lock count and publish size. */
  batchSize?: number;
  /** Fallback poll when no notification arrives (missed NOTIFY, retries coming due). Default 1000 ms. */
  pollIntervalMs?: number;
  /** Wake on the writer's NOTIFY. Costs one pooled connection held in LISTEN. Default true. */
  listen?: boolean;
  /** A publish slower than this counts as failed, so the claim transaction never stays open unbounded. */
  publishTimeoutMs?: number;
  retry?: RetryBackoffOptions;
  /**
   * End-to-end delivery: rows the consumer has not acknowledged (markOutboxCompleted) within
   * `visibilityTimeoutMs` of publishing are published again under the same id, e.g. after the queue's Redis
   * lost them. Leave unset only when every consumer of this outbox does not acknowledge.
   */
  redelivery?: RedeliveryOptions & {
    /** How often the relay loop sweeps (default: a tenth of the visibility timeout, at least 1 s). */
    sweepIntervalMs?: number;
  };
  metrics?: OutboxRelayMetrics;
  onError?: (error: unknown) => void;
}

export interface BatchResult {
  claimed: number;
  published: number;
  failed: number;
}

const MAX_BATCH_SIZE = 1_000;

/**
 * Moves committed outbox rows to a queue. Each batch is one transaction: claim with SKIP LOCKED, publish,
 * mark published (or schedule a retry), commit. A relay killed anywhere before the commit leaves its rows
 * unpublished and unlocked, and the next relay publishes them again under the same ids: at-least-once,
 * with duplicates absorbed by the queue's id dedupe and the consumer's guard.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly publishTimeoutMs: number;
  private readonly retry: RetryBackoffOptions;
  private readonly onError: (error: unknown) => void;
  private readonly listener: OutboxNotificationListener | undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private nextSweepAt = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = Math.min(Math.max(options.batchSize ?? 100, 1), MAX_BATCH_SIZE);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
    this.retry = options.retry ?? DEFAULT_RETRY_BACKOFF;
    this.onError =
      options.onError ??
      ((error) => process.emitWarning(error instanceof Error ? error : String(error), 'OutboxRelayWarning'));
    this.listener =
      options.listen === false
        ? undefined
        : new OutboxNotificationListener(options.pool, this.wake, this.onError, this.pollIntervalMs);
  }

  /** Resolves once the relay listens, so a message committed afterwards wakes it. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listener?.start();
    this.loop = this.run();
  }

  /** Lets the batch in flight finish and commit, then releases the listening connection. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener?.stop();
  }

  /** One claim–publish–mark transaction; usable on its own (a scheduled drain, a test). */
  async processBatch(): Promise<BatchResult> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // A relay that hangs (rather than dies) must not hold its rows forever.
      await client.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [
        String(this.publishTimeoutMs + 10_000),
      ]);
      const records = await claimBatch(client, this.batchSize);
      if (records.length === 0) {
        await client.query('COMMIT');
        return { claimed: 0, published: 0, failed: 0 };
      }
      const retries = this.scheduleRetries(records, await this.publishWithTimeout(records));
      const failedIds = new Set(retries.map((r) => r.id));
      await markPublished(
        client,
        records.filter((r) => !failedIds.has(r.id)).map((r) => r.id),
      );
      await recordFailures(client, retries);
      await client.query('COMMIT');
      const result = {
        claimed: records.length,
        published: records.length - retries.length,
        failed: retries.length,
      };
      if (result.published > 0) this.options.metrics?.published?.(result.published);
      if (result.failed > 0) this.options.metrics?.failed?.(result.failed);
      return result;
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Hands stale uncompleted rows back to the relay; returns how many. Usable on its own (a cron, a test). */
  async redeliverUncompleted(): Promise<number> {
    const redelivery = this.options.redelivery;
    if (!redelivery) return 0;
    const released = await releaseUncompletedOutboxRows(this.options.pool, redelivery);
    if (released > 0) this.options.metrics?.redelivered?.(released);
    return released;
  }

  private async sweepWhenDue(): Promise<void> {
    const redelivery = this.options.redelivery;
    if (!redelivery || Date.now() < this.nextSweepAt) return;
    this.nextSweepAt =
      Date.now() + (redelivery.sweepIntervalMs ?? Math.max(redelivery.visibilityTimeoutMs / 10, 1_000));
    await this.redeliverUncompleted();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      let claimed = 0;
      try {
        await this.sweepWhenDue();
        claimed = (await this.processBatch()).claimed;
        if (this.options.metrics?.lag) this.options.metrics.lag(await measureOutboxLag(this.options.pool));
      } catch (error) {
        this.onError(error);
      }
      if (claimed < this.batchSize && this.running) await this.waitForWork();
    }
  }

  private waitForWork(): Promise<void> {
    if (this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
    });
  }

  private readonly wake = (): void => {
    if (this.wakeUp) this.wakeUp();
    else this.wakeRequested = true;
  };

  private async publishWithTimeout(records: OutboxRecord[]): Promise<PublishReport> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`publish timed out after ${this.publishTimeoutMs} ms`)),
        this.publishTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.options.publisher.publish(records), timeout]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { failed: records.map((r) => ({ id: r.id, error: message })) };
    } finally {
      clearTimeout(timer);
    }
  }

  /* One retry per claimed record the publisher reported failed; ids it invented or repeated are ignored. */
  private scheduleRetries(records: OutboxRecord[], report: PublishReport): ScheduledRetry[] {
    const attemptsById = new Map(records.map((r) => [r.id, r.attempts]));
    const retries = new Map<string, ScheduledRetry>();
    for (const failure of report.failed) {
      const attempts = attemptsById.get(failure.id);
      if (attempts !== undefined && !retries.has(failure.id)) {
        retries.set(failure.id, { ...failure, delayMs: retryDelayMs(attempts, this.retry) });
      }
    }
    return [...retries.values()];
  }
}
