/** The answer to one POST /streams/:id/tips, with the Retry-After a 503 carries. */
export interface TipAnswer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/** Posts a tip as a client would, the Idempotency-Key header included unless `key` is undefined. */
export async function postTip(
  baseUrl: string,
  token: string,
  streamId: string,
  key: string | undefined,
  body: unknown,
): Promise<TipAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(`${baseUrl}/streams/${streamId}/tips`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}
