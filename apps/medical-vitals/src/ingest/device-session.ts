import type { WebSocket } from 'ws';
import { runInLinkedSpan, SpanKind } from '@remedy/observability';
import { premakeBoundary, type PartitionPolicy } from '@remedy/partitioning';
import type { AppConfig } from '../config.js';
import type { DeviceDirectory, DeviceIdentity } from '../registry/devices/device-directory.service.js';
import { deviceTokenMatches } from '../registry/devices/device-token.js';
import type { StoredReading } from '../storage/stored-reading.js';
import type { VitalsWriter, WriteOutcome } from '../storage/vitals-writer.service.js';
import { WriteBufferFullError } from '../storage/write-buffer-full.error.js';
import type { IngestMetrics } from '../telemetry/ingest-metrics.service.js';
import type { DeviceRateLimiter } from './device-rate-limiter.service.js';
import {
  CLOSE_PROTOCOL,
  CLOSE_TRY_AGAIN_LATER,
  CLOSE_UNAUTHORIZED,
  type IngestErrorCode,
  type ServerMessage,
} from './ingest-protocol.js';
import { checkReading, READING_MESSAGE_KEYS, type ValidReading } from './reading-validation.js';
import { jitteredRetryAfter } from './retry-after.js';
import { TokenLease } from './token-lease.js';

export interface DeviceSessionDeps {
  logger: { warn(message: string): void };
  directory: DeviceDirectory;
  limiter: DeviceRateLimiter;
  writer: VitalsWriter;
  metrics: IngestMetrics;
  config: AppConfig;
  /** vital_data's partition policy: a reading older than its premakeBoundary has no partition and is refused. */
  vitalData: PartitionPolicy;
  isDraining(): boolean;
}

type Identity = DeviceIdentity & { patientId: string };
type ThrottleReason = Extract<ServerMessage, { type: 'throttled' }>['reason'];

// The shape PostgreSQL's uuid type accepts (as devices are given them): anything else is refused before SQL.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One device connection: first-message auth, then readings. Messages are handled one after another, so
 * acks leave in the order the readings arrived; each ack waits for the durable flush of its readings.
 */
export class DeviceSession {
  private identity: Identity | undefined;
  private claimedDeviceId: string | undefined;
  /** The registry took the device away: what is still queued or arrives before the close is dropped. */
  private revoked = false;
  private processing: Promise<void> = Promise.resolve();
  private acks: Promise<void> = Promise.resolve();
  private readonly authTimer: NodeJS.Timeout;
  /**
   * Once throttled, the device is refused from here until its retry time: a device that keeps sending
   * meanwhile costs a reply each, not a limiter round trip each, so the server's work under overload does
   * not grow with the number of refused messages.
   */
  private refused: { until: number; reason: ThrottleReason } | undefined;
  /** The device's rate tokens this socket holds: most readings are paid from it, without a Redis round trip. */
  private readonly lease = new TokenLease();

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: DeviceSessionDeps,
  ) {
    this.authTimer = setTimeout(() => {
      this.fail('auth_timeout', 'no auth message in time', CLOSE_UNAUTHORIZED);
    }, deps.config.ingest.authTimeoutMs);
    socket.on('message', (data: Buffer) => {
      this.processing = this.processing
        .then(() => this.onMessage(data.toString('utf8')))
        .catch((error: unknown) => {
          // One failed message must not stop the session: the device is told to resend it. Nothing of
          // it was acked: acks are only sent once the writer's promise resolved.
          deps.logger.warn(`device message failed: ${String(error)}`);
          this.error('internal', 'the message could not be handled, send it again');
        })
        .catch((error: unknown) => deps.logger.warn(`device error reply not sent: ${String(error)}`));
    });
    socket.on('close', () => clearTimeout(this.authTimer));
  }

  /** The device this socket authenticated as, or is authenticating as; undefined before its auth message. */
  get deviceId(): string | undefined {
    return this.identity?.deviceId ?? this.claimedDeviceId;
  }

  /**
   * The registry changed this device or its patient: look it up again, in message order. Readings received
   * before keep the assignment they were received under; every later one is attributed by the new lookup.
   * The device is told its patient, or, once it records for nobody, closed after the acks of what it sent.
   */
  reassign(): void {
    this.processing = this.processing
      .then(() => this.refreshIdentity())
      .catch((error: unknown) => this.deps.logger.warn(`device reassignment failed: ${String(error)}`));
  }

  /** Settles once every received message was handled and every ack was sent (graceful shutdown). */
  async settled(): Promise<void> {
    await this.processing;
    await this.acks;
  }

  private async onMessage(text: string): Promise<void> {
    if (this.revoked) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.refuseUnreadable('bad_json', 'the message is not JSON');
      return;
    }
    if (!isRecord(message) || typeof message['type'] !== 'string') {
      this.refuseUnreadable('bad_message', 'a message needs a string "type"');
      return;
    }
    if (this.identity === undefined) {
      await this.authenticate(message);
      return;
    }
    const traceparent = typeof message['traceparent'] === 'string' ? message['traceparent'] : '';
    await runInLinkedSpan(
      'vitals.ingest',
      { parent: traceparent, kind: SpanKind.SERVER, attributes: { deviceId: this.identity.deviceId } },
      () => this.onReadings(message),
    );
  }

  private async authenticate(message: Record<string, unknown>): Promise<void> {
    const { type, deviceId, token } = message;
    if (type !== 'auth' || typeof deviceId !== 'string' || typeof token !== 'string') {
      this.fail(
        'unauthorized',
        'the first message must be { type: "auth", deviceId, token }',
        CLOSE_UNAUTHORIZED,
      );
      return;
    }
    this.claimedDeviceId = deviceId;
    let identity: DeviceIdentity | undefined;
    try {
      identity = UUID.test(deviceId) ? await this.deps.directory.lookup(deviceId) : undefined;
    } catch (error) {
      // An unauthenticated socket has nothing to resend: it is told to come back later and closed.
      this.deps.logger.warn(`device auth failed: ${String(error)}`);
      this.fail('auth_unavailable', 'authentication is unavailable, reconnect later', CLOSE_TRY_AGAIN_LATER);
      return;
    }
    if (!identity || identity.status !== 'active' || !deviceTokenMatches(token, identity.tokenHash)) {
      this.deps.metrics.rejected.inc({ reason: 'unauthenticated' });
      this.fail('unauthorized', 'unknown device or wrong token', CLOSE_UNAUTHORIZED);
      return;
    }
    if (identity.patientId === null) {
      this.fail('device_unassigned', 'the device is not assigned to a patient', CLOSE_UNAUTHORIZED);
      return;
    }
    clearTimeout(this.authTimer);
    this.identity = { ...identity, patientId: identity.patientId };
    this.send({ type: 'auth_ok', deviceId: identity.deviceId, patientId: identity.patientId });
  }

  private async refreshIdentity(): Promise<void> {
    const current = this.identity;
    // Never authenticated (its auth message, queued before this, was refused), or already on its way out.
    if (current === undefined || this.revoked) return;
    let identity: DeviceIdentity | undefined;
    try {
      identity = await this.deps.directory.lookup(current.deviceId);
    } catch (error) {
      // The assignment in force is unknown, so no reading can be attributed: the device reconnects later.
      this.deps.logger.warn(`device lookup after a registry change failed: ${String(error)}`);
      await this.revoke(
        'auth_unavailable',
        'the registry is unavailable, reconnect later',
        CLOSE_TRY_AGAIN_LATER,
      );
      return;
    }
    if (!identity || identity.status !== 'active' || identity.tokenHash !== current.tokenHash) {
      await this.revoke('unauthorized', 'the device was retired or its token changed', CLOSE_UNAUTHORIZED);
      return;
    }
    if (identity.patientId === null) {
      await this.revoke(
        'device_unassigned',
        'the device is no longer assigned to a patient',
        CLOSE_UNAUTHORIZED,
      );
      return;
    }
    this.identity = { ...identity, patientId: identity.patientId };
    this.send({ type: 'assignment', deviceId: identity.deviceId, patientId: identity.patientId });
  }

  /** Drops every later message, sends the acks of what was accepted before, then fails the session. */
  private async revoke(code: IngestErrorCode, message: string, closeCode: number): Promise<void> {
    this.revoked = true;
    await this.acks;
    this.fail(code, message, closeCode);
  }

  private async onReadings(message: Record<string, unknown>): Promise<void> {
    const items = this.readingsOf(message);
    if (items === undefined) return;
    this.deps.metrics.received.inc(items.length);
    const valid = this.validate(items, message['type'] === 'reading' ? READING_MESSAGE_KEYS : undefined);
    if (valid.length === 0) return;
    const seqs = valid.map((reading) => reading.seq);
    await this.admitted(valid.length);
    if (this.deps.isDraining()) {
      this.throttle(valid.length, 1_000, 'shutting_down', seqs);
      return;
    }
    if (this.refused !== undefined) {
      const waitMs = this.refused.until - Date.now();
      if (waitMs > 0) {
        this.throttle(valid.length, waitMs, this.refused.reason, seqs);
        return;
      }
      this.refused = undefined;
    }
    const identity = this.identity!;
    const waitMs = await this.deps.limiter.take(identity.deviceId, valid.length, this.lease);
    if (waitMs > 0) {
      this.refuse(valid.length, waitMs, 'rate_limit', seqs);
      return;
    }
    // Fields spelled out rather than spread: this runs per reading, and a spread copy costs several times more.
    const rows: StoredReading[] = valid.map((reading) => ({
      patientId: identity.patientId,
      wardId: identity.wardId,
      deviceId: identity.deviceId,
      seq: reading.seq,
      recordedAt: reading.recordedAt,
      heartRate: reading.heartRate,
      spo2: reading.spo2,
      systolic: reading.systolic,
      diastolic: reading.diastolic,
      temperature: reading.temperature,
    }));
    let stored: Promise<WriteOutcome>;
    try {
      stored = this.deps.writer.write(rows);
    } catch (error) {
      if (!(error instanceof WriteBufferFullError)) throw error;
      this.refuse(valid.length, this.deps.config.writer.flushIntervalMs * 2, 'buffer_full', seqs);
      return;
    }
    const upToSeq = Math.max(...seqs);
    // The outcome is taken at once: a later batch may fail while an earlier ack is still pending, and a
    // rejection nobody listens to yet is an unhandled rejection, which ends the process.
    const outcome = stored.then(
      (written) => written,
      (error: unknown) => {
        this.deps.logger.warn(`readings up to seq ${upToSeq} not stored: ${String(error)}`);
        return undefined;
      },
    );
    this.acks = this.acks
      .then(() => outcome)
      .then((written) => {
        if (written === undefined) {
          this.send({ type: 'error', code: 'store_failed', message: 'not stored, send again', seq: upToSeq });
          return;
        }
        const refused = rows.filter((row) => written.conflicting.has(row));
        for (const row of refused) this.refuseConflicting(row);
        // The ack covers the refused readings too: each of them is settled for good, none is to be resent.
        this.send({ type: 'ack', upToSeq, count: rows.length - refused.length });
      })
      .catch((error: unknown) => {
        // Only sending can fail here; the device resends whatever it has no ack for.
        this.deps.logger.warn(`ack for seq ${upToSeq} not sent: ${String(error)}`);
      });
  }

  /**
   * Waits while the write buffer is over its high-water mark, with the socket paused: ws stops reading it, so
   * the device's next messages wait in TCP buffers (its sends slow down) instead of arriving to be refused and
   * resent. The readings of this message are held meanwhile and acked once stored, later but not lost.
   */
  private async admitted(readings: number): Promise<void> {
    const admission = this.deps.writer.admission(readings);
    if (admission === undefined) return;
    this.socket.pause();
    try {
      await admission;
    } finally {
      this.socket.resume();
    }
  }

  /**
   * Another reading of this device at the same instant is stored with other values. Two measurements cannot
   * both be the reading at one instant, and overwriting a stored (maybe already alerted-on) value would rewrite
   * the record: the newcomer is refused, loudly, and the device is told not to resend it (ADR 0024).
   */
  private refuseConflicting(row: StoredReading): void {
    this.deps.metrics.rejected.inc({ reason: 'conflict' });
    this.send({
      type: 'error',
      code: 'conflicting_reading',
      message: `not stored: another reading of this device at ${row.recordedAt} is stored with other values; do not resend`,
      seq: row.seq,
    });
  }

  private readingsOf(message: Record<string, unknown>): unknown[] | undefined {
    const limit = Math.min(this.deps.config.ingest.maxReadingsPerMessage, this.deps.config.ingest.rateBurst);
    if (message['type'] === 'reading') return [message];
    if (message['type'] === 'readings' && Array.isArray(message['items'])) {
      const items = message['items'] as unknown[];
      if (items.length > limit) {
        this.error('too_many_readings', `at most ${limit} readings per message`);
        return undefined;
      }
      return items;
    }
    this.error('bad_message', 'expected { type: "reading", … } or { type: "readings", items: [...] }');
    return undefined;
  }

  private validate(items: unknown[], envelopeKeys?: ReadonlySet<string>): ValidReading[] {
    const now = Date.now();
    const limits = {
      now,
      maxFutureSkewMs: this.deps.config.ingest.maxFutureSkewMs,
      oldestAccepted: premakeBoundary(this.deps.vitalData, new Date(now)).getTime(),
    };
    const valid: ValidReading[] = [];
    for (const item of items) {
      const check = checkReading(item, limits, envelopeKeys);
      if (check.ok) {
        valid.push(check.reading);
        continue;
      }
      this.deps.metrics.rejected.inc({ reason: 'invalid' });
      this.send({
        type: 'error',
        code: 'invalid_reading',
        message: `invalid reading: ${check.details.map((detail) => detail.field).join(', ')}`,
        details: check.details,
        ...(check.seq === undefined ? {} : { seq: check.seq }),
      });
    }
    return valid;
  }

  /** Throttles this message and refuses the device's next ones until `waitMs` from now. */
  private refuse(count: number, waitMs: number, reason: ThrottleReason, seqs: number[]): void {
    this.refused = { until: Date.now() + waitMs, reason };
    this.throttle(count, waitMs, reason, seqs);
  }

  private throttle(count: number, waitMs: number, reason: ThrottleReason, seqs: number[]): void {
    this.deps.metrics.rejected.inc({ reason: reason === 'rate_limit' ? 'throttled' : 'buffer_full' }, count);
    this.send({ type: 'throttled', retryAfterMs: jitteredRetryAfter(waitMs), reason, seqs });
  }

  /**
   * An unreadable message. Before authentication the socket is closed (4400) at once: the protocol starts
   * with an auth message, and a client that cannot send one would otherwise hold the socket until the auth
   * timeout. After it, the session goes on: the device resends what it has no ack for.
   */
  private refuseUnreadable(code: 'bad_json' | 'bad_message', message: string): void {
    if (this.identity === undefined) this.fail(code, message, CLOSE_PROTOCOL);
    else this.error(code, message);
  }

  private error(code: IngestErrorCode, message: string): void {
    this.send({ type: 'error', code, message });
  }

  private fail(code: IngestErrorCode, message: string, closeCode: number): void {
    this.send({ type: 'error', code, message });
    this.socket.close(
      closeCode === CLOSE_UNAUTHORIZED || closeCode === CLOSE_TRY_AGAIN_LATER ? closeCode : CLOSE_PROTOCOL,
      code,
    );
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
