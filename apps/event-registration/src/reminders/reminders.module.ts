import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { CollectRemindersJob } from './collect-reminders.job.js';
import { ReminderCollectorService } from './reminder-collector.service.js';
import { MAX_BULK_DESTINATIONS, REMINDER_BATCH_SIZE } from './reminder-queue.js';
import { ReminderWorkerService } from './reminder-worker.service.js';
import { SendReminderBatchJob } from './send-reminder-batch.job.js';

/** Worker side of events:C-2: the daily collect job and the bulk SES sends it fans out to. */
@Module({
  imports: [NotificationsModule],
  providers: [
    { provide: REMINDER_BATCH_SIZE, useValue: MAX_BULK_DESTINATIONS },
    ReminderCollectorService,
    CollectRemindersJob,
    SendReminderBatchJob,
    ReminderWorkerService,
  ],
})
export class RemindersModule {}
