import { QueueEvents, type Queue, type QueueEventsOptions } from 'bullmq';

/**
 * A `QueueEvents` that reports every event of `queue` from the moment this resolves, however late its own first
 * read goes out. A plain `new QueueEvents(…)` starts reading the events stream at `$`, "from when my first XREAD
 * arrives", and that XREAD is sent only after the connection is ready and named; `waitUntilReady()` does not wait
 * for it. So `add` + `waitUntilFinished` on a fresh QueueEvents loses a job that a waiting worker finishes inside
 * that gap (its completion is in the stream, before `$`), and the wait runs out although the job is done. It
 * happens under load: a busy machine widens the gap. Reading the stream's last id first and starting there closes
 * it: anything written after this call is read.
 *
 * The events connection is built from `queue.opts.connection` (BullMQ gives QueueEvents its own blocking
 * connection); `options` may add e.g. `autorun: false`. The caller closes it.
 */
export async function queueEventsFromNow(
  queue: Queue,
  options: Omit<QueueEventsOptions, 'connection' | 'prefix' | 'lastEventId'> = {},
): Promise<QueueEvents> {
  const client = await queue.getBackend().client;
  // BullMQ's client interface has no XREVRANGE; a script is how BullMQ itself reaches the rest of Redis.
  client.defineCommand(LAST_EVENT_ID_COMMAND, { numberOfKeys: 1, lua: LAST_EVENT_ID_LUA, readOnly: true });
  const lastEventId = (await client.runCommand(LAST_EVENT_ID_COMMAND, [queue.keys.events])) as string;
  return new QueueEvents(queue.name, {
    ...options,
    connection: queue.opts.connection,
    prefix: queue.opts.prefix,
    lastEventId,
  });
}

const LAST_EVENT_ID_COMMAND = 'remedyLastEventId';

// 0-0 when the stream does not exist yet: read from its very first entry.
const LAST_EVENT_ID_LUA = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] then return last[1][1] end
return '0-0'`;
