import { SESv2Client } from '@aws-sdk/client-sesv2';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { Registry } from 'prom-client';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { primaryPoolProvider } from '../registrations/primary-pool.provider.js';
import { ConfirmationMailJob } from './confirmation-mail.job.js';
import { MailMetrics } from './mail-metrics.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { createSesClient, SES_CLIENT } from './ses-client.factory.js';

class SesClientShutdown implements OnApplicationShutdown {
  constructor(@Inject(SES_CLIENT) private readonly ses: SESv2Client) {}

  onApplicationShutdown(): void {
    this.ses.destroy();
  }
}

/** Worker side of registration e-mail (events:S-3): outbox relay → BullMQ → SES. Exports SES for reminders. */
@Module({
  providers: [
    primaryPoolProvider,
    {
      provide: SES_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createSesClient(config.mail),
    },
    {
      provide: MailMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new MailMetrics(registry),
    },
    SesClientShutdown,
    OutboxRelayService,
    ConfirmationMailJob,
  ],
  exports: [SES_CLIENT, MailMetrics, primaryPoolProvider],
})
export class NotificationsModule {}
