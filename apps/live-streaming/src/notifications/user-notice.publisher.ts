import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { RedisRoomPublisher } from '@remedy/realtime';
import { APP_CONFIG } from '../app-config.module.js';
import { chatChannelPrefix, userRoom } from '../chat/chat-hub.js';
import type { AppConfig } from '../config.js';

/** The frame a follower's open sockets receive when someone they follow goes live. */
export interface NotificationFrame {
  type: 'notification';
  id: string;
  kind: 'stream-started';
  streamId: string;
  streamerId: string;
  streamerName: string;
  title: string;
  createdAt: string;
}

/**
 * Pushes notices to followers who are online, on whichever API instance holds their sockets: every /chat
 * socket is in its user's room, so the worker publishes on those rooms' Redis channels in the format the
 * hubs read. Rooms with no subscriber anywhere (followers offline) cost nothing beyond one PUBSUB NUMSUB.
 */
@Injectable()
export class UserNoticePublisher {
  private readonly rooms: RedisRoomPublisher;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS_CLIENTS) redis: RedisClients) {
    this.rooms = new RedisRoomPublisher(redis.publisher, chatChannelPrefix(config));
  }

  /** Returns how many of the users had a socket open somewhere. */
  async push(frames: ReadonlyArray<{ userId: string; frame: NotificationFrame }>): Promise<number> {
    const watched = await this.rooms.publishMany(
      frames.map(({ userId, frame }) => ({ room: userRoom(userId), payload: JSON.stringify(frame) })),
    );
    return watched.length;
  }
}
