/**
 * Every Redis key, stream and channel of the app, under the configured prefix (tests use their context's
 * prefix, so parallel test files never share a key).
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** One entry per durable flush: fields `readings` (JSON array) and `traceparent`. */
  get storedStream(): string {
    return `${this.prefix}vitals:stored`;
  }

  /** One entry per alert raised (field `alert`, JSON) or cleared (field `cleared`, JSON), and `traceparent`. */
  get alertsStream(): string {
    return `${this.prefix}vitals:alerts`;
  }

  /** Pub/sub channel: `{ kind: 'rules' | 'device', id }` tells every instance to drop a cached entry. */
  get invalidationChannel(): string {
    return `${this.prefix}vitals:cache-invalidation`;
  }

  latestVitals(patientId: string): string {
    return `${this.prefix}vitals:latest:${patientId}`;
  }

  deviceRateBucket(deviceId: string): string {
    return `${this.prefix}vitals:rate:${deviceId}`;
  }
}
