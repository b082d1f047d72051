import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { PgPool, RedisClients } from '@remedy/pooling';
import type { ChainableCommander, Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { READER_POOL } from '../read-replica/read-replica.tokens.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import { execPipeline } from '../storage/exec-pipeline.js';
import type { StoredReading } from '../storage/stored-reading.js';
import { LATEST_FALLBACK_SQL, type LatestRow, readingFromRow } from './latest-vitals.sql.js';

/** Writes a reading only if it is newer than the cached one: batches from two instances may land out of order. */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and decoded.recordedAt >= ARGV[2] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

type RedisWithSetIfNewer = Redis & {
  vitalsSetIfNewer(key: string, value: string, recordedAt: string, ttl: number): Promise<number>;
};

/**
 * The latest reading of each patient, in Redis (V-06): written by the batched writer after each durable
 * flush, read by the dashboards. A miss (cold cache, expired key) falls back to one query for all the
 * missing patients, on the reader pool like every other dashboard read (V-13), and refills the cache.
 */
@Injectable()
export class LatestVitalsService implements OnModuleInit {
  private readonly redis: RedisWithSetIfNewer;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) clients: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(READER_POOL) private readonly reader: PgPool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = clients.cache as RedisWithSetIfNewer;
    this.ttlSeconds = config.writer.latestTtlSeconds;
  }

  onModuleInit(): void {
    // defineCommand is per client; both services share the cache client, each defines its own command once.
    if (typeof (this.redis as Partial<RedisWithSetIfNewer>).vitalsSetIfNewer !== 'function') {
      this.redis.defineCommand('vitalsSetIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
    }
  }

  /** One pipelined round trip for a whole batch (the cache refill after a miss). */
  async record(readings: readonly StoredReading[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    this.queueRecord(pipeline, readings);
    await execPipeline(pipeline);
  }

  /**
   * Adds the cache writes for a batch to `pipeline`, so that the writer sends them in the same round trip as
   * the batch's stream entry; only each patient's newest reading of the batch is sent.
   */
  queueRecord(pipeline: ChainableCommander, readings: readonly StoredReading[]): void {
    const newest = new Map<string, StoredReading>();
    for (const reading of readings) {
      const seen = newest.get(reading.patientId);
      if (!seen || seen.recordedAt < reading.recordedAt) newest.set(reading.patientId, reading);
    }
    const commands = pipeline as unknown as {
      vitalsSetIfNewer(key: string, value: string, recordedAt: string, ttl: number): void;
    };
    for (const reading of newest.values()) {
      commands.vitalsSetIfNewer(
        this.keys.latestVitals(reading.patientId),
        JSON.stringify(reading),
        reading.recordedAt,
        this.ttlSeconds,
      );
    }
  }

  /** The latest reading of each patient that has one in the hot window; patients without readings are absent. */
  async forPatients(patientIds: readonly string[]): Promise<Map<string, StoredReading>> {
    const result = new Map<string, StoredReading>();
    if (patientIds.length === 0) return result;
    const cached = await this.redis.mget(patientIds.map((id) => this.keys.latestVitals(id)));
    const missing: string[] = [];
    patientIds.forEach((id, index) => {
      const raw = cached[index];
      if (raw) result.set(id, JSON.parse(raw) as StoredReading);
      else missing.push(id);
    });
    if (missing.length === 0) return result;
    const { rows } = await this.reader.query<LatestRow>(LATEST_FALLBACK_SQL, [missing]);
    const found = rows.map(readingFromRow);
    for (const reading of found) result.set(reading.patientId, reading);
    await this.record(found);
    return result;
  }
}
