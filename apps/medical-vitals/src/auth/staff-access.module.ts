import { randomBytes } from 'node:crypto';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, PgRefreshTokenStore } from '@remedy/auth';
import { dataSourcePools } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AuditLogController } from '../audit/audit-log.controller.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { AppConfig } from '../config.js';
import { StaffController } from '../staff/staff.controller.js';
import { StaffService } from '../staff/staff.service.js';
import { AccessScope } from './access-scope.service.js';
import { loginThrottleProvider } from './login-throttle.provider.js';
import { StaffAuthController } from './staff-auth.controller.js';
import { StaffAuthService } from './staff-auth.service.js';
import { StaffGuard } from './staff.guard.js';

/**
 * Staff sign-in (@remedy/auth sessions with refresh tokens in the primary database), the global guard
 * that protects every HTTP route, ward/hospital scope checks and the audit log, for every feature module.
 */
@Global()
@Module({})
export class StaffAccessModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Unset: a random secret per process, so sessions end on restart and do not cross instances.
    const secret = config.staffAuth.tokenSecret ?? randomBytes(32).toString('hex');
    return {
      module: StaffAccessModule,
      imports: [
        AuthModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            accessTokenSecret: secret,
            accessTokenTtlSeconds: config.staffAuth.accessTokenTtlSeconds,
            issuer: 'medical-vitals',
            audience: 'medical-vitals-staff',
            refreshTokenStore: new PgRefreshTokenStore(primaryPool(dataSource)),
          }),
        }),
      ],
      controllers: [StaffAuthController, StaffController, AuditLogController],
      providers: [
        StaffService,
        StaffAuthService,
        loginThrottleProvider(config),
        AccessScope,
        AuditLog,
        { provide: APP_GUARD, useClass: StaffGuard },
      ],
      exports: [AccessScope, AuditLog, StaffService],
    };
  }
}

function primaryPool(dataSource: DataSource): ReturnType<typeof dataSourcePools>[number] {
  const [primary] = dataSourcePools(dataSource);
  if (!primary) throw new Error('the DataSource has no primary pool');
  return primary;
}
