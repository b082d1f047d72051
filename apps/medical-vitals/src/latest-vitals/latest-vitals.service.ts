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

/**
 * Writes each patient's reading only if it is newer than the cached one: batches from two instances may land
 * out of order. One call covers many patients (KEYS[i] takes ARGV[2i] when ARGV[2i+1], its recordedAt, is
 * newer): a call per patient cost the writer a command object each and Redis ~30 µs each for the script call
 * and a cjson decode, which measured as the largest Redis cost per stored reading. The cached value is always
 * this service's JSON.stringify of a reading, so its recordedAt is read with a pattern instead of a decode.
 * The keys of one call may live on different nodes under Redis Cluster; this service runs on one Redis.
 */
const SET_EACH_IF_NEWER = `
local ttl = ARGV[1]
local written = 0
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  local cachedAt = current and string.match(current, '"recordedAt":"([^"]*)"')
  if not cachedAt or cachedAt < ARGV[2 * i + 1] then
    redis.call('SET', key, ARGV[2 * i], 'EX', ttl)
    written = written + 1
  end
end
return written`;

/** Patients per script call: bounds how long one call holds Redis (a few µs each) for a large batch. */
const PATIENTS_PER_CALL = 500;

type SetEachIfNewer = (numberOfKeys: number, ...keysThenArgs: Array<string | number>) => unknown;

type RedisWithSetEachIfNewer = Redis & { vitalsSetEachIfNewer: SetEachIfNewer };

/**
 * The latest reading of each patient, in Redis (V-06): written by the batched writer after each durable
 * flush, read by the dashboards. A miss (cold cache, expired key) falls back to one query for all the
 * missing patients, on the reader pool like every other dashboard read (V-13), and refills the cache.
 */
@Injectable()
export class LatestVitalsService implements OnModuleInit {
  private readonly redis: RedisWithSetEachIfNewer;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) clients: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(READER_POOL) private readonly reader: PgPool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = clients.cache as RedisWithSetEachIfNewer;
    this.ttlSeconds = config.writer.latestTtlSeconds;
  }

  onModuleInit(): void {
    // defineCommand is per client; both services share the cache client, each defines its own command once.
    if (typeof (this.redis as Partial<RedisWithSetEachIfNewer>).vitalsSetEachIfNewer !== 'function') {
      // No numberOfKeys: each call says how many keys it carries.
      this.redis.defineCommand('vitalsSetEachIfNewer', { lua: SET_EACH_IF_NEWER });
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
   * the batch's stream entry: only each patient's newest reading of the batch, in one script call per
   * PATIENTS_PER_CALL patients.
   */
  queueRecord(pipeline: ChainableCommander, readings: readonly StoredReading[]): void {
    const newest = new Map<string, StoredReading>();
    for (const reading of readings) {
      const seen = newest.get(reading.patientId);
      if (!seen || seen.recordedAt < reading.recordedAt) newest.set(reading.patientId, reading);
    }
    const commands = pipeline as unknown as { vitalsSetEachIfNewer: SetEachIfNewer };
    const patients = [...newest.values()];
    for (let start = 0; start < patients.length; start += PATIENTS_PER_CALL) {
      const chunk = patients.slice(start, start + PATIENTS_PER_CALL);
      const keys = chunk.map((reading) => this.keys.latestVitals(reading.patientId));
      const args: Array<string | number> = [this.ttlSeconds];
      for (const reading of chunk) args.push(JSON.stringify(reading), reading.recordedAt);
      commands.vitalsSetEachIfNewer(keys.length, ...keys, ...args);
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
