import { Registry } from 'prom-client';

/*
 * livestream:C5 — the design states no SLAs and no monitoring: nothing measures request latency or errors,
 * so nothing can alert on them. UnmonitoredRegistry takes the metrics registry's place: every metric the app
 * and its libraries create is dropped instead of registered, so /metrics has nothing to show and every alert
 * rule watches a series that never exists.
 */
export class UnmonitoredRegistry extends Registry {
  override registerMetric(): void {
    // Nothing is kept: the service is not monitored.
  }
}
