/** What `GET /metrics` serves: the process's own registry, or the sum over a node:cluster's workers. */
export interface MetricsExposition {
  readonly contentType: string;
  metrics(): Promise<string>;
}
