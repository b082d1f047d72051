import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '@remedy/auth';
import { RateLimitExceededError, RedisRateLimiter } from '@remedy/http';
import type { Observable } from 'rxjs';

/**
 * Counts every authenticated HTTP request against its member's limit (livestream:M1) and answers 429 with
 * Retry-After past it. An interceptor rather than a guard: interceptors run after every guard, so the access
 * token has been verified and the member is known. Requests without a member are the deliberately public
 * routes, limited elsewhere: login by LoginThrottle, the live list by its CDN and Redis cache, and the probes'
 * /health and /metrics not at all.
 */
@Injectable()
export class MemberRateLimitInterceptor implements NestInterceptor {
  constructor(@Inject(RedisRateLimiter) private readonly limiter: Pick<RedisRateLimiter, 'consume'>) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const member = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (member === undefined) return next.handle();
    const decision = await this.limiter.consume(member.id);
    if (!decision.allowed) throw new RateLimitExceededError(decision.retryAfterSeconds);
    return next.handle();
  }
}
