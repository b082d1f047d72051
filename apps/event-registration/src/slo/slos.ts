/**
 * The service level objectives of events:C-3, the review's numbers. README.md states them, the alert rules
 * in infra/prometheus/rules/event-registration.yml enforce them, and `slo_latency_objective_seconds` /
 * `slo_error_ratio_objective` export them so dashboards draw the line; test/slo-alert-rules.spec.ts keeps
 * the three in step.
 */
export interface LatencySlo {
  name: string;
  method: 'GET' | 'POST';
  /** The Fastify route template, as in the `route` label of http_request_duration_seconds. */
  route: string;
  quantile: 0.95;
  objectiveSeconds: number;
}

export const LATENCY_SLOS: readonly LatencySlo[] = [
  {
    name: 'registration',
    method: 'POST',
    route: '/events/:id/registrations',
    quantile: 0.95,
    objectiveSeconds: 0.5,
  },
  { name: 'event-list', method: 'GET', route: '/events', quantile: 0.95, objectiveSeconds: 0.2 },
  { name: 'event-stats', method: 'GET', route: '/events/:id/stats', quantile: 0.95, objectiveSeconds: 2 },
];

/** At most 1 % of requests may fail with a 5xx over any 5 minutes (availability target 99.5 % a month). */
export const ERROR_RATIO_SLO = 0.01;

/** Throughput the capacity plan is sized for (requests per second). */
export const THROUGHPUT_TARGETS = {
  registrationSustained: 50,
  registrationPeak: 100,
  readsSustained: 200,
} as const;
