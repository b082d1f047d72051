import { collectDefaultMetrics, Registry } from 'prom-client';

/** The registry `/metrics` serves, labelled with the service and carrying Node's default metrics once. */
export function createMetricsRegistry(serviceName: string, registry: Registry = new Registry()): Registry {
  registry.setDefaultLabels({ service: serviceName });
  // An application-supplied registry may already collect them, and registering twice throws.
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
