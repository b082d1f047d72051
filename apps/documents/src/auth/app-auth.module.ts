import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, PgRefreshTokenStore } from '@remedy/auth';
import { dataSourcePools } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { loginThrottleProvider } from './login-throttle.provider.js';
import { MemberGuard } from './member.guard.js';
import { OrganisationMembership } from './organisation-membership.js';

/**
 * The app's sessions: @remedy/auth's global module with 1 h access tokens and 7 day rotating refresh tokens kept
 * in the database, the signup/login/refresh/logout endpoints, and MemberGuard (token, role, organisation) on
 * every route.
 */
@Module({})
export class AppAuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppAuthModule,
      imports: [
        AuthModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            accessTokenSecret: config.auth.accessTokenSecret,
            accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
            refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
            issuer: config.auth.issuer,
            audience: config.auth.audience,
            refreshTokenStore: new PgRefreshTokenStore(primaryPool(dataSource)),
          }),
        }),
        UsersModule,
      ],
      controllers: [AuthController],
      providers: [
        AuthService,
        loginThrottleProvider,
        OrganisationMembership,
        { provide: APP_GUARD, useClass: MemberGuard },
      ],
    };
  }
}

function primaryPool(dataSource: DataSource): ReturnType<typeof dataSourcePools>[number] {
  const [primary] = dataSourcePools(dataSource);
  if (!primary) throw new Error('the DataSource has no primary pool');
  return primary;
}
