import type { Redis } from 'ioredis';

/**
 * Which instance holds which user's /chat sockets (polyglot-a:S-2, polyglot-b:S-4): how one instance reaches a
 * user whose socket another instance holds, and how any instance answers "is this user online, and where".
 */
export interface ConnectionRegistry {
  /** This instance's id: the name its entries and its notice channel carry. */
  readonly instanceId: string;
  /** A socket of `userId` was admitted and signed in here. */
  added(userId: string): Promise<void>;
  /** One of `userId`'s sockets here closed. */
  removed(userId: string): Promise<void>;
  /** The live instances holding at least one of `userId`'s sockets. */
  instancesOf(userId: string): Promise<string[]>;
  /** Keeps this instance's entries (for `userIds`, the users it holds) and its liveness alive for another TTL. */
  heartbeat(userIds: Iterable<string>): Promise<void>;
  /** Draining: removes every entry of this instance (for `userIds`) and its liveness at once. */
  removeInstance(userIds: Iterable<string>): Promise<void>;
}

export const CHAT_CONNECTION_REGISTRY = Symbol('CHAT_CONNECTION_REGISTRY');

export interface RedisConnectionRegistryOptions {
  /** A client that never evicts (the queue Redis) and prefixes keys with the deployment's REDIS_KEY_PREFIX. */
  redis: Redis;
  instanceId: string;
  /** How long an entry and an instance's liveness outlive the last heartbeat: a crashed instance's expire. */
  ttlSeconds: number;
}

/** Decrements the instance's count and drops the field at zero, in one step, so no count goes negative. */
const REMOVE_SCRIPT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left`;

/**
 * One hash per user, `chat:user:<id>` → { <instance id>: <sockets> }, expiring TTL seconds after the last
 * heartbeat of any instance holding the user, and one liveness key per instance, `chat:instance:<id>`. An
 * instance that crashes without draining stops refreshing its liveness: readers drop its fields as soon as
 * that key has expired, even when another instance keeps the user's hash alive.
 */
export class RedisConnectionRegistry implements ConnectionRegistry {
  constructor(private readonly options: RedisConnectionRegistryOptions) {}

  get instanceId(): string {
    return this.options.instanceId;
  }

  async added(userId: string): Promise<void> {
    await this.options.redis
      .multi()
      .hincrby(this.userKey(userId), this.instanceId, 1)
      .expire(this.userKey(userId), this.options.ttlSeconds)
      .set(this.livenessKey(this.instanceId), '1', 'EX', this.options.ttlSeconds)
      .exec();
  }

  async removed(userId: string): Promise<void> {
    await this.options.redis.eval(REMOVE_SCRIPT, 1, this.userKey(userId), this.instanceId);
  }

  async instancesOf(userId: string): Promise<string[]> {
    const entries = await this.options.redis.hgetall(this.userKey(userId));
    const instances = Object.entries(entries)
      .filter(([, sockets]) => Number(sockets) > 0)
      .map(([instance]) => instance);
    if (instances.length === 0) return [];
    const alive = await this.options.redis.mget(instances.map((instance) => this.livenessKey(instance)));
    const dead = instances.filter((_, index) => alive[index] === null);
    if (dead.length > 0) await this.options.redis.hdel(this.userKey(userId), ...dead);
    return instances.filter((_, index) => alive[index] !== null);
  }

  async heartbeat(userIds: Iterable<string>): Promise<void> {
    const pipeline = this.options.redis
      .pipeline()
      .set(this.livenessKey(this.instanceId), '1', 'EX', this.options.ttlSeconds);
    for (const userId of userIds) pipeline.expire(this.userKey(userId), this.options.ttlSeconds);
    await pipeline.exec();
  }

  async removeInstance(userIds: Iterable<string>): Promise<void> {
    const pipeline = this.options.redis.pipeline().del(this.livenessKey(this.instanceId));
    for (const userId of userIds) pipeline.hdel(this.userKey(userId), this.instanceId);
    await pipeline.exec();
  }

  private userKey(userId: string): string {
    return `chat:user:${userId}`;
  }

  private livenessKey(instanceId: string): string {
    return `chat:instance:${instanceId}`;
  }
}
