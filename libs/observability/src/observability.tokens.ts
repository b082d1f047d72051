/** Injects the prom-client `Registry` that `/metrics` serves. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Injects the pino `Logger` whose lines carry the correlation IDs. */
export const LOGGER = Symbol('LOGGER');
