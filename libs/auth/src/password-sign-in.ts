import { UnauthorizedException } from '@nestjs/common';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';

export interface PasswordCredentials {
  email: string;
  password: string;
  /** The client's address, for the throttle's per-address limit. */
  address: string;
}

// Verifying against a real hash for unknown e-mails makes "no such account" cost as much as "wrong password".
let decoyHash: Promise<string> | undefined;

/**
 * The account `find` returns for `email`, if `password` is its password; 401 otherwise, the same for an
 * unknown e-mail and a wrong password. Runs under `throttle`: 429 (LoginThrottledError) while the account or
 * the address is locked, even for the right password, so a guessing run cannot confirm a hit.
 */
export async function signInWithPassword<Account extends { passwordHash: string }>(
  throttle: LoginThrottle,
  credentials: PasswordCredentials,
  find: (email: string) => Promise<Account | null>,
): Promise<Account> {
  const { email, password, address } = credentials;
  const account = await throttle.verify({ account: email, address }, async () => {
    const found = await find(email);
    decoyHash ??= hashPassword('decoy password for unknown accounts');
    const valid = await verifyPassword(password, found?.passwordHash ?? (await decoyHash));
    return valid ? (found ?? undefined) : undefined;
  });
  if (!account) throw new UnauthorizedException('invalid email or password');
  return account;
}
