import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenGuard, InvalidAccessTokenError, RolesGuard } from '@remedy/auth';
import { HealthController, MetricsController } from '@remedy/observability';
import { StaffService } from '../staff/staff.service.js';
import { PUBLIC_ROUTE_KEY } from './public.decorator.js';
import type { StaffRequest } from './staff-request.js';

/**
 * The app's global guard (APP_GUARD): every HTTP route needs a staff access token unless marked
 * `@Public()`, so a new route is protected by default. It verifies the token (@remedy/auth's
 * AccessTokenGuard), loads the member's current role and wards (a deactivated account is refused at
 * once, not when its token expires), then applies `@Roles(...)` (RolesGuard). WebSocket gateways
 * authenticate in their first message with their own tokens (device / dashboard), so only HTTP is checked.
 */
/**
 * Routes of shared libraries that are public on purpose: /health and /health/live are probed by the
 * orchestrator and load balancer, which hold no staff token; /metrics is scraped by Prometheus and carries
 * counters only, no patient data (expose it on the internal network only).
 */
const PUBLIC_LIBRARY_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController, MetricsController]);

@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokenGuard) private readonly accessTokens: AccessTokenGuard,
    @Inject(RolesGuard) private readonly roles: RolesGuard,
    @Inject(StaffService) private readonly staff: StaffService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true || PUBLIC_LIBRARY_CONTROLLERS.has(context.getClass())) return true;
    await this.accessTokens.canActivate(context);
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const member = request.user ? await this.staff.findActive(request.user.id) : null;
    if (!member) throw new InvalidAccessTokenError('staff account is not active');
    // The role in the database wins over the one in the token: a demotion applies from the next request.
    request.user = { id: member.id, role: member.role };
    request.staff = member;
    return this.roles.canActivate(context);
  }
}
