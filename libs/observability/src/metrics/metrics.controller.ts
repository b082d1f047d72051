import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { METRICS_EXPOSITION } from '../observability.tokens.js';
import type { MetricsExposition } from './metrics-exposition.js';

@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_EXPOSITION) private readonly exposition: MetricsExposition) {}

  /** Prometheus text exposition (of every worker of a cluster, see `metricsScope`); queue gauges read Redis during the scrape. */
  @Get('metrics')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.exposition.contentType);
    return this.exposition.metrics();
  }
}
