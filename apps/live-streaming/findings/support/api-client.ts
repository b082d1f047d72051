/** A small JSON client for the test app: `api.call('POST', '/auth/login', body, token)` → status and body. */
export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface SessionBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; role: string };
}

export const TEST_PASSWORD = 'correct horse battery staple';

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Like call(), but throws unless the answer has the expected status. */
  async expect<T = Record<string, unknown>>(
    status: number,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    const result = await this.call<T>(method, path, body, token);
    if (result.status !== status) {
      throw new Error(
        `${method} ${path}: ${result.status}, expected ${status}: ${JSON.stringify(result.body)}`,
      );
    }
    return result.body;
  }

  /** Signs up a member (username from the e-mail's local part) and returns the session. */
  signup(email: string): Promise<SessionBody> {
    const username = email.split('@')[0]?.replace(/[^A-Za-z0-9_]/g, '_') ?? 'member';
    return this.expect<SessionBody>(201, 'POST', '/auth/signup', {
      email,
      username,
      displayName: username,
      password: TEST_PASSWORD,
    });
  }

  login(email: string, password = TEST_PASSWORD): Promise<SessionBody> {
    return this.expect<SessionBody>(200, 'POST', '/auth/login', { email, password });
  }
}
