import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { ViewerCounter } from '../src/viewers/viewer-counter.js';

type ViewerCounterPort = Pick<ViewerCounter, 'joined' | 'heartbeat' | 'left' | 'count' | 'windowSeconds'>;

/*
 * livestream:S4 — the design's viewer count: "視聴者数カウントをRedisでインクリメント" (increment the viewer
 * count in Redis) on every join, decrement on leave. Every join is one write to one key per stream: a viral
 * stream's joins all land on a single hot key, one round trip each, and a viewer whose leave is never seen
 * (a crashed app, a dropped connection on another instance) stays counted for ever.
 *
 * IncrPerJoinViewerCounter takes ViewerCounter's place under the real chat gateway and GET /streams/:id/viewers.
 */
@Injectable()
export class IncrPerJoinViewerCounter implements ViewerCounterPort {
  readonly windowSeconds = 0;

  constructor(@Inject(REDIS_CLIENTS) private readonly redis: RedisClients) {}

  joined(streamId: string): void {
    void this.redis.cache.incr(`viewers:${streamId}`);
  }

  heartbeat(): void {}

  left(streamId: string): void {
    void this.redis.cache.decr(`viewers:${streamId}`);
  }

  async count(streamId: string): Promise<number> {
    return Number((await this.redis.cache.get(`viewers:${streamId}`)) ?? 0);
  }
}

/* A close cousin, put back into the remediated service. */

/**
 * HyperLogLog buckets as in the remedy, but each join and heartbeat written at once: one PFADD (and an
 * EXPIRE) per event, so the write count grows with the joins again.
 */
@Injectable()
export class UnbatchedHyperLogLogViewerCounter implements ViewerCounterPort {
  readonly windowSeconds = 60;

  constructor(@Inject(REDIS_CLIENTS) private readonly redis: RedisClients) {}

  joined(streamId: string, userId: string): void {
    this.heartbeat(streamId, userId);
  }

  heartbeat(streamId: string, userId: string): void {
    const key = `viewers:${streamId}:${Math.floor(Date.now() / 30_000)}`;
    void this.redis.cache.pfadd(key, userId);
  }

  left(): void {}

  async count(streamId: string): Promise<number> {
    const bucket = Math.floor(Date.now() / 30_000);
    return this.redis.cache.pfcount(`viewers:${streamId}:${bucket}`, `viewers:${streamId}:${bucket - 1}`);
  }
}
