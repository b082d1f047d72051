import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { GoLiveFanoutJob } from './go-live-fanout.job.js';
import { GoLiveRelayService } from './go-live-relay.service.js';
import { NotifyFollowersJob } from './notify-followers.job.js';
import { createPushProvider, PUSH_PROVIDER } from './push/push-provider.js';
import { UserNoticePublisher } from './user-notice.publisher.js';

/**
 * Worker side of go-live notices (livestream:C1): outbox relay → fan-out job → one batch job per ≤ 1,000
 * followers → notices stored, pushed over WebSocket (through Redis) and to phones (the push provider).
 */
@Module({
  providers: [
    {
      provide: PUSH_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPushProvider(config.push),
    },
    UserNoticePublisher,
    GoLiveRelayService,
    GoLiveFanoutJob,
    NotifyFollowersJob,
  ],
})
export class NotificationsWorkerModule {}
