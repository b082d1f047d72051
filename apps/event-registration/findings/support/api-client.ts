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

  /** Signs up an attendee and returns the session; throws on anything but 201. */
  async signup(email: string, department = 'Sales'): Promise<SessionBody> {
    const result = await this.call<SessionBody>('POST', '/auth/signup', {
      email,
      name: email.split('@')[0],
      department,
      password: 'correct horse battery staple',
    });
    if (result.status !== 201)
      throw new Error(`signup ${email}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  async login(email: string, password = 'correct horse battery staple'): Promise<SessionBody> {
    const result = await this.call<SessionBody>('POST', '/auth/login', { email, password });
    if (result.status !== 200)
      throw new Error(`login ${email}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }
}
