import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { InvalidAccessTokenError } from './auth-errors.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import type { AuthenticatedUser } from './authenticated-user.js';

/** The user `AccessTokenGuard` verified; a handler without the guard gets a 401 rather than undefined. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new InvalidAccessTokenError('missing bearer access token');
    return user;
  },
);
