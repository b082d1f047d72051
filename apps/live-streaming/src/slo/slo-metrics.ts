import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Gauge, type Registry } from 'prom-client';
import { ERROR_RATIO_SLO, LATENCY_SLOS } from './slos.js';

/** Exports the objectives as constant gauges, so a dashboard or a ratio query reads them from Prometheus. */
@Injectable()
export class SloMetrics implements OnModuleInit {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  onModuleInit(): void {
    const latency = new Gauge({
      name: 'slo_latency_objective_seconds',
      help: 'Latency objective per route (livestream:C5).',
      labelNames: ['slo', 'method', 'route', 'quantile'],
      registers: [this.registry],
    });
    for (const slo of LATENCY_SLOS) {
      latency.set(
        { slo: slo.name, method: slo.method, route: slo.route, quantile: String(slo.quantile) },
        slo.objectiveSeconds,
      );
    }
    new Gauge({
      name: 'slo_error_ratio_objective',
      help: 'Highest acceptable share of 5xx responses over 5 minutes (livestream:C5).',
      registers: [this.registry],
    }).set(ERROR_RATIO_SLO);
  }
}
