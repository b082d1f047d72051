import type { Redis } from 'ioredis';

/** One message for a room: the serialized payload (serialized once, by the publisher) and its coalescing key. */
export interface RoomMessage {
  payload: string;
  key?: string;
}

export interface RedisRoomBusOptions {
  /** A connection that can run commands (PUBLISH). */
  publisher: Redis;
  /** A connection of its own: once subscribed it can run nothing but (UN)SUBSCRIBE. */
  subscriber: Redis;
  /** Namespaces the channels, e.g. `${prefix}rt:live:`; a room's channel is this plus the room name. */
  channelPrefix: string;
  onMessage(room: string, message: RoomMessage): void;
}

/** On the wire: the messages of one room from one publish, in order, as `[payload, key?]` pairs. */
type WireBatch = Array<[payload: string, key?: string]>;

/**
 * Cross-instance fan-out through Redis pub/sub, one channel per room. An instance subscribes to a room's
 * channel only while one of its sockets is in that room, so a message reaches only the instances that
 * have someone to deliver it to; the publisher publishes once whatever the number of instances.
 *
 * `publishMany` is the hot path: it groups the messages by room (one PUBLISH per room, however many
 * messages), and first asks Redis which of those channels have any subscriber at all (PUBSUB NUMSUB), so
 * rooms nobody watches (most patient rooms, most of the time) cost nothing.
 */
export class RedisRoomBus {
  private readonly subscribed = new Set<string>();
  private readonly listener = (channel: string, raw: string): void => {
    if (!channel.startsWith(this.options.channelPrefix)) return;
    const room = channel.slice(this.options.channelPrefix.length);
    for (const [payload, key] of JSON.parse(raw) as WireBatch)
      this.options.onMessage(room, key === undefined || key === null ? { payload } : { payload, key });
  };

  constructor(private readonly options: RedisRoomBusOptions) {
    options.subscriber.on('message', this.listener);
  }

  async subscribe(room: string): Promise<void> {
    if (this.subscribed.has(room)) return;
    this.subscribed.add(room);
    await this.options.subscriber.subscribe(this.channel(room));
  }

  async unsubscribe(room: string): Promise<void> {
    if (!this.subscribed.delete(room)) return;
    await this.options.subscriber.unsubscribe(this.channel(room));
  }

  async publish(room: string, message: RoomMessage): Promise<void> {
    await this.options.publisher.publish(this.channel(room), JSON.stringify([toWire(message)]));
  }

  /** Publishes many messages in two round trips: which rooms have subscribers, then one PUBLISH per such room. */
  async publishMany(messages: ReadonlyArray<{ room: string } & RoomMessage>): Promise<void> {
    if (messages.length === 0) return;
    const byRoom = new Map<string, WireBatch>();
    for (const message of messages) {
      const batch = byRoom.get(message.room);
      if (batch) batch.push(toWire(message));
      else byRoom.set(message.room, [toWire(message)]);
    }
    const rooms = [...byRoom.keys()];
    const counts = (await this.options.publisher.call(
      'PUBSUB',
      'NUMSUB',
      ...rooms.map((room) => this.channel(room)),
    )) as Array<string | number>;
    const pipeline = this.options.publisher.pipeline();
    let publishes = 0;
    rooms.forEach((room, index) => {
      if (Number(counts[index * 2 + 1]) === 0) return;
      pipeline.publish(this.channel(room), JSON.stringify(byRoom.get(room)));
      publishes += 1;
    });
    if (publishes === 0) return;
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  get subscribedRooms(): ReadonlySet<string> {
    return this.subscribed;
  }

  async close(): Promise<void> {
    this.options.subscriber.off('message', this.listener);
    const rooms = [...this.subscribed];
    this.subscribed.clear();
    if (rooms.length > 0 && this.options.subscriber.status === 'ready') {
      await this.options.subscriber.unsubscribe(...rooms.map((room) => this.channel(room)));
    }
  }

  private channel(room: string): string {
    return `${this.options.channelPrefix}${room}`;
  }
}

function toWire(message: RoomMessage): [string, string?] {
  return message.key === undefined ? [message.payload] : [message.payload, message.key];
}
