import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenGuard, ROLES_KEY, type AuthenticatedRequest } from '@remedy/auth';
import { PageKitController } from '@remedy/http';
import { HealthController, MetricsController } from '@remedy/observability';
import { USER_ROLES, type UserRole } from '../users/user-role.js';
import type { MemberRequest } from './current-member.decorator.js';
import { OrganisationMembership } from './organisation-membership.js';
import { PUBLIC_ROUTE_KEY } from './public.decorator.js';

/**
 * Routes of shared libraries that are public on purpose: /health is probed by the orchestrator and the load
 * balancer, which hold no token; /metrics is scraped by Prometheus and carries counters only (expose it on
 * the internal network only); /page-kit serves the code the browser pages share, the same for everyone.
 */
const PUBLIC_LIBRARY_CONTROLLERS: ReadonlySet<unknown> = new Set([
  HealthController,
  MetricsController,
  PageKitController,
]);

/**
 * The app's global guard (APP_GUARD), secure by default in three steps: an access token (signature and expiry),
 * a role the route names with `@Roles(...)` (a route that names none is refused: a forgotten decorator fails
 * closed, never open), and the caller's organisation put on the request for the route's scope check.
 * `@Public()` routes skip all three.
 */
@Injectable()
export class MemberGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokenGuard) private readonly accessTokens: AccessTokenGuard,
    @Inject(OrganisationMembership) private readonly membership: OrganisationMembership,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, targets);
    if (isPublic === true || PUBLIC_LIBRARY_CONTROLLERS.has(context.getClass())) return true;
    await this.accessTokens.canActivate(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & MemberRequest>();
    const user = request.user;
    const allowed = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!user || !isUserRole(user.role) || !allowed.includes(user.role)) {
      throw new ForbiddenException(
        allowed.length === 0
          ? 'this route names no role'
          : `requires role ${allowed.join(' or ')}, you are ${user?.role ?? 'nobody'}`,
      );
    }
    request.member = { id: user.id, role: user.role, organisationId: await this.membership.of(user.id) };
    return true;
  }
}

function isUserRole(role: string): role is UserRole {
  return (USER_ROLES as readonly string[]).includes(role);
}
