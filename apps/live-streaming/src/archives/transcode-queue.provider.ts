import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { METRICS_REGISTRY, registerQueueMetrics } from '@remedy/observability';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Registry } from 'prom-client';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { TRANSCODE_QUEUE, TRANSCODE_QUEUE_NAME, type TranscodeJob } from './transcode.job.js';

/**
 * The API's handle on the transcode queue. Its job counts are on the API's /metrics (`queue_jobs{queue=
 * "transcode"}`): the worker autoscaler scales on the waiting ones (docs/deploy.md).
 */
export const TRANSCODE_QUEUE_PROVIDER: Provider = {
  provide: TRANSCODE_QUEUE,
  inject: [APP_CONFIG, QUEUE_CONNECTION, METRICS_REGISTRY],
  useFactory: (config: AppConfig, connection: ConnectionOptions, registry: Registry) => {
    const queue = new Queue<TranscodeJob>(TRANSCODE_QUEUE_NAME, {
      connection,
      prefix: config.redis.queuePrefix,
    });
    registerQueueMetrics(registry, [queue]);
    return queue;
  },
};

@Injectable()
export class TranscodeQueueShutdown implements OnApplicationShutdown {
  constructor(@Inject(TRANSCODE_QUEUE) private readonly queue: Queue<TranscodeJob>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
