export type { ApiErrorBody, ApiErrorDetail, ApiFieldProblems } from './api-error.js';
export { ApiErrorFilter, type ApiErrorFilterOptions } from './api-error.filter.js';
export { toApiError } from './to-api-error.js';
export { createValidationPipe, type ValidationPipeOptions } from './validation.pipe.js';
export { uuidParam } from './uuid-param.pipe.js';
export { createHttpEdgeAdapter, type HttpEdgeOptions } from './http-edge.adapter.js';
export { findUnsafeInput, DEFAULT_MAX_DEPTH, type UnsafeInputLimits } from './unsafe-input.js';
export { IsOmittable } from './omittable.decorator.js';
export { IsIsoInstant, type IsoInstantBounds } from './iso-instant.decorator.js';
export { invalidField, type FieldDetailStyle } from './field-error.js';
export { closeOnSignals } from './close-on-signals.js';
export { runWorkerEntry, type WorkerEntry } from './worker-entry.js';
export {
  RedisRateLimiter,
  RateLimitExceededError,
  RateLimiterUnavailableError,
  type RateLimit,
  type RateLimitDecision,
  type RateLimitRedis,
} from './redis-rate-limiter.js';
export { ifNoneMatchHits } from './conditional-get.js';
export { withPageKit } from './page-kit/page-kit-assets.js';
export { PageKitController } from './page-kit/page-kit.controller.js';
