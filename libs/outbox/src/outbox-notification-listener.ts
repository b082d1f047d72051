import type pg from 'pg';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-schema.js';

interface Subscription {
  client: pg.PoolClient;
  close(error?: unknown): void;
}

/**
 * Holds one pooled connection in LISTEN so a relay wakes the moment a writer commits. When the connection
 * drops it reconnects after a delay and then reports a wake-up, because notifications sent while it was
 * gone are lost: the relay must look at the table rather than trust that nothing happened.
 */
export class OutboxNotificationListener {
  private subscription: Subscription | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onNotify: () => void,
    private readonly onError: (error: unknown) => void,
    private readonly reconnectDelayMs: number,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    if (!subscription) return;
    try {
      await subscription.client.query(`UNLISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
      subscription.close();
    } catch (error) {
      subscription.close(error);
    }
  }

  private async subscribe(): Promise<boolean> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.fail(error);
      return false;
    }
    const subscription = this.track(client);
    try {
      await client.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
    } catch (error) {
      subscription.close(error);
      this.fail(error);
      return false;
    }
    this.subscription = subscription;
    if (this.stopped) await this.stop();
    return !this.stopped;
  }

  /* The error listener stays attached after release: a broken client can still emit, and an unheard
     'error' event would take the process down. */
  private track(client: pg.PoolClient): Subscription {
    let closed = false;
    const subscription: Subscription = {
      client,
      close: (error?: unknown) => {
        if (closed) return;
        closed = true;
        client.removeListener('notification', this.handleNotification);
        client.release(error === undefined ? undefined : error instanceof Error ? error : true);
      },
    };
    client.on('notification', this.handleNotification);
    client.on('error', (error: Error) => {
      if (closed) return;
      if (this.subscription === subscription) this.subscription = undefined;
      subscription.close(error);
      this.fail(error);
    });
    return subscription;
  }

  private readonly handleNotification = (message: pg.Notification): void => {
    if (message.channel === OUTBOX_NOTIFY_CHANNEL) this.onNotify();
  };

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.onError(error);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      void this.subscribe().then((subscribed) => {
        if (subscribed) this.onNotify();
      });
    }, this.reconnectDelayMs);
  }
}
