import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { apiRateLimiterProvider } from './api-rate-limiter.provider.js';
import { MemberRateLimitInterceptor } from './member-rate-limit.interceptor.js';

/** The per-member API rate limit (livestream:M1) on every authenticated route. */
@Module({
  providers: [apiRateLimiterProvider, { provide: APP_INTERCEPTOR, useClass: MemberRateLimitInterceptor }],
})
export class RateLimitModule {}
