/*
 * livestream:S2 — the design runs one Redis for everything ("caching, sessions, chat, job queues") and sets no
 * memory policy. Redis's default is noeviction: when that one instance fills up (the cache grows with the
 * audience), every write is refused with OOM, cache fills and login lockouts included, instead of old cache
 * entries making room. Picking an evicting policy for the single instance instead would silently drop queued
 * jobs and lockouts: one instance cannot serve both uses.
 *
 * The seam is the deployment: which Redis servers run with which policy, and which one each URL names.
 */
export interface RedisDeployment {
  /** maxmemory-policy of the server behind REDIS_URL (cache). */
  cachePolicy: string;
  /** maxmemory-policy of the server behind QUEUE_REDIS_URL; undefined when it is the cache server itself. */
  queuePolicy: string | undefined;
}

export const SINGLE_REDIS_WITHOUT_POLICY: RedisDeployment = {
  cachePolicy: 'noeviction',
  queuePolicy: undefined,
};
