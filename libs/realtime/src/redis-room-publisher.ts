import type { Redis } from 'ioredis';
import { wallClockMs } from './room-delivery-timings.js';

/** One message for a room: the serialized payload (serialized once, by the publisher) and its coalescing key. */
export interface RoomMessage {
  payload: string;
  key?: string;
}

/**
 * On the wire: the messages of one room from one publish, in order, each `[payload, key or null, publishedAt]`
 * (publishedAt: the publisher's wall clock in ms, see RoomDeliveryTimings). Older publishers sent `[payload, key?]`,
 * which readers still take, and their readers ignore the third element.
 */
export type WireBatch = Array<[payload: string, key?: string | null, publishedAt?: number]>;

/**
 * The sending half of RedisRoomBus, usable alone: a process with no sockets of its own (a queue worker)
 * reaches the sockets every hub instance holds in a room by publishing on the room's channel, in the wire
 * format the hubs read. It needs one command connection and no subscriber.
 */
export class RedisRoomPublisher {
  constructor(
    private readonly publisher: Redis,
    /** The hubs' `channelPrefix`: a room's channel is this plus the room name. */
    private readonly channelPrefix: string,
  ) {}

  async publish(room: string, message: RoomMessage): Promise<void> {
    await this.publisher.publish(
      roomChannel(this.channelPrefix, room),
      JSON.stringify([toWire(message, wallClockMs())]),
    );
  }

  /**
   * Many messages in two round trips: which rooms have a subscriber at all (PUBSUB NUMSUB), then one PUBLISH
   * per such room however many messages it gets. Returns the rooms published to: those some instance watches.
   */
  async publishMany(messages: ReadonlyArray<{ room: string } & RoomMessage>): Promise<string[]> {
    if (messages.length === 0) return [];
    const byRoom = new Map<string, WireBatch>();
    const publishedAt = wallClockMs();
    for (const message of messages) {
      const batch = byRoom.get(message.room);
      if (batch) batch.push(toWire(message, publishedAt));
      else byRoom.set(message.room, [toWire(message, publishedAt)]);
    }
    const rooms = [...byRoom.keys()];
    const counts = (await this.publisher.call(
      'PUBSUB',
      'NUMSUB',
      ...rooms.map((room) => roomChannel(this.channelPrefix, room)),
    )) as Array<string | number>;
    const watched = rooms.filter((_, index) => Number(counts[index * 2 + 1]) > 0);
    if (watched.length === 0) return [];
    const pipeline = this.publisher.pipeline();
    for (const room of watched)
      pipeline.publish(roomChannel(this.channelPrefix, room), JSON.stringify(byRoom.get(room)));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return watched;
  }
}

/** A room's Redis channel: the hubs' `channelPrefix` plus the room name. */
export function roomChannel(channelPrefix: string, room: string): string {
  return `${channelPrefix}${room}`;
}

/**
 * Lua for a Redis script that publishes a room message itself, so that what the caller writes beside it (a history
 * append, a rate limit) and the PUBLISH are one command, and the message's delivery waits for no reply on the
 * caller's side. It defines `room_message_wire(payload, published_at)`: the wire text of one unkeyed message, as
 * `publish` sends it (`published_at`: the caller's wallClockMs() as a string). `cjson.encode` escapes what a JSON
 * string needs, and `/`, which JSON allows.
 */
export const ROOM_MESSAGE_WIRE_LUA = `local function room_message_wire(payload, published_at)
  return '[[' .. cjson.encode(payload) .. ',null,' .. published_at .. ']]'
end`;

function toWire(message: RoomMessage, publishedAt: number): WireBatch[number] {
  return [message.payload, message.key ?? null, publishedAt];
}
