import fc from 'fast-check';
import { API_ERROR_BODY_SCHEMA } from './api-error-body.schema.js';
import type { JsonSchema } from './json-schema.js';
import {
  httpRequestArbitrary,
  type FuzzRequest,
  type HttpRequestArbitraryOptions,
} from './http-request.arbitrary.js';
import { listOperations, type FuzzOperation, type OpenApiDocument } from './openapi-operations.js';
import { createSchemaValidator } from './schema-validator.js';
import type { FuzzSettings } from './fuzz-settings.js';

export interface HttpFuzzOptions extends HttpRequestArbitraryOptions, FuzzSettings {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly document: OpenApiDocument;
  /** Which operations to fuzz (default: all); `numRuns` cases each. */
  readonly include?: (operation: FuzzOperation) => boolean;
  /** The documented shape of every 4xx body (default API_ERROR_BODY_SCHEMA). */
  readonly errorBodySchema?: JsonSchema;
  /** A request that does not answer within this long counts as a failure rather than hanging the run. */
  readonly requestTimeoutMs?: number;
  /**
   * A snapshot of what the service stores (row counts, say), taken before and after every case: a refused
   * request (4xx) whose snapshots differ is a failure, since a refusal must leave nothing behind. Cases run
   * one at a time, so nothing else moves the snapshot if the service has no background writers.
   */
  readonly storedState?: () => Promise<unknown>;
}

export interface HttpFuzzFailure {
  readonly request: FuzzRequest;
  /** The status, or 0 when no response came (connection refused or reset, timeout). */
  readonly status: number;
  readonly problem: string;
  /** The start of the response body. */
  readonly body: string;
}

export interface HttpFuzzReport {
  readonly seed: number;
  readonly cases: number;
  /** Responses per status code, over all cases. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly failures: readonly HttpFuzzFailure[];
}

function problemWith(
  status: number,
  text: string,
  contentType: string | null,
  errorProblems: (body: unknown) => string[],
): string | undefined {
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return undefined;
  if (!contentType?.includes('application/json'))
    return `error body is ${contentType ?? 'untyped'}, not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'error body is not valid JSON';
  }
  const problems = errorProblems(body);
  if ((body as { statusCode?: unknown }).statusCode !== status) problems.push(`statusCode is not ${status}`);
  return problems.length === 0 ? undefined : `error body is not the documented shape: ${problems.join('; ')}`;
}

/**
 * Sends `numRuns` generated requests to every operation of an OpenAPI document (see
 * httpRequestArbitrary), one at a time, and checks each response: no 5xx, and every 4xx carries the
 * documented error body with its own status. It never stops at the first failure, so one run lists
 * every class of failure; replay a run with its seed.
 */
export async function fuzzHttpApi(options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  const validate = createSchemaValidator(options.document);
  const errorSchema = options.errorBodySchema ?? API_ERROR_BODY_SCHEMA;
  const errorProblems = (body: unknown) => validate(errorSchema, body);
  const statuses: Record<string, number> = {};
  const failures: HttpFuzzFailure[] = [];
  let cases = 0;

  const send = async (request: FuzzRequest): Promise<boolean> => {
    cases += 1;
    let status = 0;
    let text = '';
    let problem: string | undefined;
    const before =
      options.storedState === undefined ? undefined : JSON.stringify(await options.storedState());
    try {
      const response = await fetch(`${options.baseUrl}${request.url}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
      });
      status = response.status;
      text = await response.text();
      problem = problemWith(status, text, response.headers.get('content-type'), errorProblems);
      if (problem === undefined && status >= 400 && options.storedState !== undefined) {
        const after = JSON.stringify(await options.storedState());
        if (after !== before) problem = `refused with ${status} but stored something: ${before} → ${after}`;
      }
    } catch (error) {
      problem = `no response: ${(error as Error).message}`;
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (problem !== undefined) failures.push({ request, status, problem, body: text.slice(0, 300) });
    return true;
  };

  const operations = listOperations(options.document).filter(options.include ?? (() => true));
  for (const operation of operations) {
    await fc.check(fc.asyncProperty(httpRequestArbitrary(operation, options.document, options), send), {
      seed: options.seed,
      numRuns: options.numRuns,
    });
  }
  return { seed: options.seed, cases, statuses, failures };
}

/** Failures grouped by operation, status and problem, with a count and the first request of each. */
export function summarizeFailures(failures: readonly HttpFuzzFailure[]): string[] {
  const classes = new Map<string, { count: number; first: HttpFuzzFailure }>();
  for (const failure of failures) {
    const key = `${failure.request.operation} → ${failure.status || 'no response'}: ${failure.problem}`;
    const entry = classes.get(key);
    if (entry) entry.count += 1;
    else classes.set(key, { count: 1, first: failure });
  }
  return [...classes].map(
    ([key, { count, first }]) =>
      `${key} ×${count}; e.g. ${first.request.method} ${first.request.url.slice(0, 160)} [${first.request.description}] → ${first.body.slice(0, 160)}`,
  );
}
