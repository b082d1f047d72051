import type { AuthenticatedUser } from './authenticated-user.js';

/** The part of a Fastify (or Express) request the guards read and write. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}
