export type { ApiErrorBody, ApiErrorDetail, ApiFieldProblems } from './api-error.js';
export { ApiErrorFilter, type ApiErrorFilterOptions } from './api-error.filter.js';
export { toApiError } from './to-api-error.js';
export { createValidationPipe, type ValidationPipeOptions } from './validation.pipe.js';
export { uuidParam } from './uuid-param.pipe.js';
