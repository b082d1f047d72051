import { Module, type DynamicModule, type InjectionToken, type Provider } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard.js';
import { AUTH_OPTIONS, resolveAuthOptions, type AuthModuleOptions } from './auth-options.js';
import { RolesGuard } from './roles.guard.js';
import { TokenService } from './token.service.js';

export interface AuthModuleAsyncOptions {
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

const SHARED = [TokenService, AccessTokenGuard, RolesGuard];

/** Global: any module can use the guards and inject `TokenService` once the app imports `forRoot`. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return AuthModule.withOptions({ provide: AUTH_OPTIONS, useValue: resolveAuthOptions(options) });
  }

  /** For a store built from injected parts (e.g. the app's database pool). */
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.withOptions({
      provide: AUTH_OPTIONS,
      inject: options.inject ?? [],
      useFactory: async (...deps: never[]) => resolveAuthOptions(await options.useFactory(...deps)),
    });
  }

  private static withOptions(optionsProvider: Provider): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [optionsProvider, ...SHARED],
      exports: [AUTH_OPTIONS, ...SHARED],
    };
  }
}
