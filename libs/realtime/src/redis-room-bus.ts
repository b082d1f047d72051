import type { Redis } from 'ioredis';
import { RedisRoomPublisher, roomChannel, type RoomMessage, type WireBatch } from './redis-room-publisher.js';

export type { RoomMessage };

export interface RedisRoomBusOptions {
  /** A connection that can run commands (PUBLISH). */
  publisher: Redis;
  /** A connection of its own: once subscribed it can run nothing but (UN)SUBSCRIBE. */
  subscriber: Redis;
  /** Namespaces the channels, e.g. `${prefix}rt:live:`; a room's channel is this plus the room name. */
  channelPrefix: string;
  /** `publishedAt`: the publisher's wall clock at PUBLISH (ms), when its publisher sent it (see WireBatch). */
  onMessage(room: string, message: RoomMessage, publishedAt: number | undefined): void;
}

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
  /**
   * Each room's SUBSCRIBE, in flight or done. Everyone who subscribes waits for the same one: a room counted
   * as subscribed the moment its SUBSCRIBE was sent would let a second caller go on (a socket told "joined")
   * while Redis does not yet deliver the channel, and a message published meanwhile reaches nobody here.
   */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly listener = (channel: string, raw: string): void => {
    if (!channel.startsWith(this.options.channelPrefix)) return;
    const room = channel.slice(this.options.channelPrefix.length);
    for (const [payload, key, publishedAt] of JSON.parse(raw) as WireBatch)
      this.options.onMessage(
        room,
        key === undefined || key === null ? { payload } : { payload, key },
        typeof publishedAt === 'number' ? publishedAt : undefined,
      );
  };

  private readonly publisher: RedisRoomPublisher;

  constructor(private readonly options: RedisRoomBusOptions) {
    this.publisher = new RedisRoomPublisher(options.publisher, options.channelPrefix);
    options.subscriber.on('message', this.listener);
  }

  /** Resolves once Redis delivers the room's channel to this instance. */
  subscribe(room: string): Promise<void> {
    const known = this.subscribed.get(room);
    if (known !== undefined) return known;
    const subscribing = this.options.subscriber.subscribe(this.channel(room)).then(
      () => undefined,
      (error: unknown) => {
        // Not subscribed after all: the next caller tries again.
        if (this.subscribed.get(room) === subscribing) this.subscribed.delete(room);
        throw error;
      },
    );
    this.subscribed.set(room, subscribing);
    return subscribing;
  }

  async unsubscribe(room: string): Promise<void> {
    if (!this.subscribed.delete(room)) return;
    await this.options.subscriber.unsubscribe(this.channel(room));
  }

  async publish(room: string, message: RoomMessage): Promise<void> {
    await this.publisher.publish(room, message);
  }

  /** Publishes many messages in two round trips: which rooms have subscribers, then one PUBLISH per such room. */
  async publishMany(messages: ReadonlyArray<{ room: string } & RoomMessage>): Promise<void> {
    await this.publisher.publishMany(messages);
  }

  async close(): Promise<void> {
    this.options.subscriber.off('message', this.listener);
    const rooms = [...this.subscribed.keys()];
    this.subscribed.clear();
    if (rooms.length > 0 && this.options.subscriber.status === 'ready') {
      await this.options.subscriber.unsubscribe(...rooms.map((room) => this.channel(room)));
    }
  }

  private channel(room: string): string {
    return roomChannel(this.options.channelPrefix, room);
  }
}
