import { Module } from '@nestjs/common';
import { GoLiveAnnouncer } from './go-live-announcer.js';
import { NotificationQueries } from './notification-queries.js';
import { NotificationsController } from './notifications.controller.js';

/** API side of go-live notices (livestream:C1): the announcer the go-live transaction calls, and the list. */
@Module({
  controllers: [NotificationsController],
  providers: [GoLiveAnnouncer, NotificationQueries],
  exports: [GoLiveAnnouncer],
})
export class NotificationsModule {}
