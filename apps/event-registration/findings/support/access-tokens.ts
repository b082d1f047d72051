import { TokenService } from '@remedy/auth';
import type { TestApp } from './start-test-app.js';

/**
 * Access tokens for seeded users, minted by the running app's own TokenService (what a login returns),
 * so a proof with hundreds of users skips hundreds of scrypt logins.
 */
export async function accessTokensFor(
  testApp: TestApp,
  userIds: string[],
  role = 'attendee',
): Promise<string[]> {
  const tokens = testApp.app.get(TokenService);
  const sessions = await Promise.all(userIds.map((id) => tokens.startSession({ id, role })));
  return sessions.map((session) => session.accessToken);
}
