import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidAccessTokenError } from './auth-errors.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { ROLES_KEY } from './roles.decorator.js';

/** 403 unless the authenticated user has one of the `@Roles(...)`; use after `AccessTokenGuard`. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new InvalidAccessTokenError('missing bearer access token');
    if (!roles.includes(user.role)) {
      throw new ForbiddenException(`requires role ${roles.join(' or ')}, you are ${user.role}`);
    }
    return true;
  }
}
