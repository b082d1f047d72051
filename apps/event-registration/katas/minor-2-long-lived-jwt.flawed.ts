import { jwtVerify, SignJWT } from 'jose';

/*
 * events:m-2 — the design's sessions (Section 5.2): one JWT valid 24 hours, "refresh token not
 * implemented". A copied token works for a day, from anywhere, and nothing can end it early.
 */
const LIFETIME_SECONDS = 24 * 3_600;

export async function issueLegacyToken(secret: string, userId: string, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({ role: 'attendee' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + LIFETIME_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

export async function verifyLegacyToken(secret: string, token: string, nowMs: number): Promise<boolean> {
  try {
    await jwtVerify(token, new TextEncoder().encode(secret), { currentDate: new Date(nowMs) });
    return true;
  } catch {
    return false;
  }
}
