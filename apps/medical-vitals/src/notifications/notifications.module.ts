import { Module } from '@nestjs/common';
import { NotificationClient } from './notification-client.service.js';

@Module({ providers: [NotificationClient], exports: [NotificationClient] })
export class NotificationsModule {}
