import autocannon from 'autocannon';

export interface HttpLoadOptions {
  url: string;
  connections: number;
  /** Run for this many seconds, or stop after `amount` requests. */
  durationSeconds?: number;
  amount?: number;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Conditional requests, as browsers holding the current copy make them: each request carries the newest ETag
   * any response of the run has carried (If-None-Match), so an unchanged resource can be answered 304.
   */
  revalidate?: boolean;
}

export interface HttpLoadResult {
  requests: number;
  requestsPerSecond: number;
  errors: number;
  non2xx: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Responses by status code. */
  statuses: Record<string, number>;
}

/** HTTP load from this process through autocannon's API, summarised to the numbers the benches compare. */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 5 }),
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body ? { body: options.body } : {}),
    ...(options.revalidate ? { requests: [revalidatingRequest(options.headers ?? {})] } : {}),
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0]),
    ),
  };
}

/**
 * One request that sends the newest ETag seen so far and remembers the one each response carries (its headers
 * replace the run's, so they carry those too).
 */
function revalidatingRequest(headers: Record<string, string>): autocannon.Request {
  let etag: string | undefined;
  return {
    setupRequest: (request) => ({
      ...request,
      headers: etag === undefined ? headers : { ...headers, 'if-none-match': etag },
    }),
    onResponse: (_status, _body, _context, headers) => {
      const received = headers?.['etag'];
      if (typeof received === 'string') etag = received;
    },
  };
}
