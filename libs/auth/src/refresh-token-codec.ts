import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A refresh token as the client sees it: `<row id>.<32 random bytes, base64url>`. */
export interface ParsedRefreshToken {
  id: string;
  hash: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newRefreshToken(): { token: string; id: string; hash: Buffer } {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { token: `${id}.${secret}`, id, hash: hashSecret(secret) };
}

export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  if (typeof token !== 'string') return undefined;
  const [id, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !secret || !UUID.test(id)) return undefined;
  return { id, hash: hashSecret(secret) };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
