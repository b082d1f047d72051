/** Injects the prom-client `Registry` of this process, for the app to add its own metrics to. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Injects what `/metrics` answers with: the registry itself, or in a cluster worker the sum over all workers. */
export const METRICS_EXPOSITION = Symbol('METRICS_EXPOSITION');

/** Injects the pino `Logger` whose lines carry the correlation IDs. */
export const LOGGER = Symbol('LOGGER');
