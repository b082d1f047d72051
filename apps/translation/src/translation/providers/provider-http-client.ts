import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { failureOfStatus, ProviderCallError } from './provider-call-error.js';

export interface ProviderResponse {
  status: number;
  body: string;
}

/**
 * POSTs to one provider through the agent it is given (the connection pool is the seam: a keep-alive pool in
 * the service). A call that outlives `timeoutMs` is aborted and its socket closed, so a hung provider cannot
 * hold the pool; failures come back as `ProviderCallError` with the failure their status means.
 */
export class ProviderHttpClient {
  constructor(
    readonly engine: string,
    private readonly baseUrl: string,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
  ) {}

  async post(path: string, body: string, headers: Record<string, string>): Promise<ProviderResponse> {
    const response = await this.send(path, body, headers);
    if (response.status >= 200 && response.status < 300) return response;
    const failure = failureOfStatus(response.status);
    throw new ProviderCallError(
      this.engine,
      failure,
      `answered ${response.status}: ${response.body.slice(0, 200)}`,
      retryAfterOf(response),
    );
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<ProviderResponse & { retryAfter?: string }> {
    const url = new URL(path, this.baseUrl);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', (error) => reject(this.transportError(error)));
          incoming.on('end', () => {
            const retryAfter = incoming.headers['retry-after'];
            resolve({
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ...(retryAfter === undefined ? {} : { retryAfter }),
            });
          });
        },
      );
      outgoing.on('error', (error) => reject(this.transportError(error)));
      outgoing.end(body);
    });
  }

  private transportError(error: Error): ProviderCallError {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') {
      return new ProviderCallError(this.engine, 'timeout', `no answer within ${this.timeoutMs} ms`);
    }
    return new ProviderCallError(this.engine, 'unavailable', `unreachable: ${error.message}`);
  }
}

function retryAfterOf(response: { retryAfter?: string }): number | undefined {
  const seconds = Number(response.retryAfter);
  return response.retryAfter !== undefined && Number.isFinite(seconds) ? seconds : undefined;
}
