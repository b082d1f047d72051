import { Inject, Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { dayAfter, ReminderCollectorService } from './reminder-collector.service.js';
import {
  REMINDER_BATCH_SIZE,
  REMINDER_JOB_OPTIONS,
  SEND_REMINDER_BATCH_JOB,
  type CollectRemindersData,
  type SendReminderBatchData,
} from './reminder-queue.js';

export interface CollectRemindersResult {
  date: string;
  destinations: number;
  batches: number;
}

/**
 * The 09:00 job (events:C-2): reads tomorrow's destinations with one join and enqueues bulk-send jobs of
 * ≤ 50. Job ids are derived from the day and the batch's first registration, so a rerun of the same day
 * does not enqueue the same batch twice while BullMQ still holds it.
 */
@Injectable()
export class CollectRemindersJob {
  constructor(
    private readonly collector: ReminderCollectorService,
    @Inject(REMINDER_BATCH_SIZE) private readonly batchSize: number,
  ) {}

  async run(job: Job<CollectRemindersData>, queue: Queue): Promise<CollectRemindersResult> {
    const date = job.data.date ?? dayAfter(job.timestamp);
    let destinations = 0;
    let batches = 0;
    for await (const rows of this.collector.destinations(date)) {
      const jobs = [];
      for (let start = 0; start < rows.length; start += this.batchSize) {
        const chunk = rows.slice(start, start + this.batchSize);
        const data: SendReminderBatchData = { date, destinations: chunk };
        jobs.push({
          name: SEND_REMINDER_BATCH_JOB,
          data,
          opts: { ...REMINDER_JOB_OPTIONS, jobId: `reminder-${date}-${chunk[0]!.registrationId}` },
        });
      }
      await queue.addBulk(jobs);
      destinations += rows.length;
      batches += jobs.length;
    }
    return { date, destinations, batches };
  }
}
