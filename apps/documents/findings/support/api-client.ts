/** A small JSON client for the test app: `api.call('POST', '/auth/login', body, token)` → status and body. */
export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface AuthSessionBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; organisationId: string; email: string; role: string };
}

export const TEST_PASSWORD = 'correct horse battery staple';

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
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
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const result = await this.call<T>(method, path, body, token, extraHeaders);
    if (result.status !== status) {
      throw new Error(
        `${method} ${path}: ${result.status}, expected ${status}: ${JSON.stringify(result.body)}`,
      );
    }
    return result.body;
  }

  /** Signs up an admin with a new organisation and returns the session. */
  signup(email: string, organisationName = `${email} org`): Promise<AuthSessionBody> {
    return this.expect<AuthSessionBody>(201, 'POST', '/auth/signup', {
      organisationName,
      email,
      displayName: email.split('@')[0] ?? 'admin',
      password: TEST_PASSWORD,
    });
  }

  /** An admin adds a user with `role` to their organisation; the user logs in and the session returns. */
  async addMember(adminToken: string, email: string, role: 'admin' | 'editor' | 'viewer') {
    await this.expect(
      201,
      'POST',
      '/organisation/users',
      { email, displayName: email.split('@')[0] ?? role, role, password: TEST_PASSWORD },
      adminToken,
    );
    return this.login(email);
  }

  login(email: string, password = TEST_PASSWORD): Promise<AuthSessionBody> {
    return this.expect<AuthSessionBody>(200, 'POST', '/auth/login', { email, password });
  }
}
