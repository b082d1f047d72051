import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh device token: 32 random bytes, base64url. Only its hash is stored. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function deviceTokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashDeviceToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
