import type pg from 'pg';
import WebSocket from 'ws';
import { signInNurse } from '../support/staff-session.js';

export type LiveMessage = { type: string; [field: string]: unknown };

/**
 * A dashboard on WebSocket /live, for tests, findings and benches: fetches a token, authenticates,
 * subscribes, and keeps every message with the time it arrived.
 */
export class LiveDashboardClient {
  readonly messages: Array<LiveMessage & { receivedAt: number }> = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.messages.push({ ...(JSON.parse(data.toString('utf8')) as LiveMessage), receivedAt: Date.now() });
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Signs in a nurse of `wardIds` (on the database behind `httpUrl`) and asks for a token for those wards. */
  static async issueToken(httpUrl: string, pool: pg.Pool, wardIds: string[]): Promise<string> {
    const nurse = await signInNurse({ url: httpUrl, pool }, wardIds);
    const response = await fetch(`${httpUrl}/dashboard/tokens`, {
      method: 'POST',
      headers: { ...nurse.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'test dashboard', wardIds }),
    });
    if (!response.ok) throw new Error(`token: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }

  static async connect(wsUrl: string): Promise<LiveDashboardClient> {
    const socket = new WebSocket(`${wsUrl}/live`);
    // Listen before 'open': a frame that arrives with the upgrade response (a refusal) is emitted in the same tick.
    const client = new LiveDashboardClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Connects, authenticates with `token` and subscribes to each ward; resolves once every subscription is confirmed. */
  static async open(
    wsUrl: string,
    token: string,
    subscriptions: Array<{ wardId: string } | { patientId: string }>,
  ): Promise<LiveDashboardClient> {
    const client = await LiveDashboardClient.connect(wsUrl);
    client.send({ type: 'auth', token });
    for (const subscription of subscriptions) client.send({ type: 'subscribe', ...subscription });
    await client.until(
      () => client.ofType('subscribed').length >= subscriptions.length || client.closed !== undefined,
      10_000,
    );
    if (client.closed)
      throw new Error(
        `live socket closed: ${JSON.stringify(client.closed)} ${JSON.stringify(client.messages)}`,
      );
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  ofType(type: string): Array<LiveMessage & { receivedAt: number }> {
    return this.messages.filter((message) => message.type === type);
  }

  until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        reject(new Error(`live client: condition not met in ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  /** Stops reading from the socket: the server's writes pile up as they would for a frozen browser tab. */
  stopReading(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.terminate();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
