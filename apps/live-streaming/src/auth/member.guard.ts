import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenGuard } from '@remedy/auth';
import { PageKitController } from '@remedy/http';
import { HealthController, MetricsController } from '@remedy/observability';
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
 * The app's global guard (APP_GUARD): every HTTP route needs an access token unless marked `@Public()`, so a
 * new route is protected by default. The token is verified by signature and expiry alone (livestream:M2): an
 * authenticated request costs no Postgres or Redis round trip, which is what keeps 1 h tokens cheap.
 */
@Injectable()
export class MemberGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokenGuard) private readonly accessTokens: AccessTokenGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true || PUBLIC_LIBRARY_CONTROLLERS.has(context.getClass())) return true;
    return this.accessTokens.canActivate(context);
  }
}
