export {
  AUTH_OPTIONS,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
  type AuthModuleOptions,
  type ResolvedAuthOptions,
} from './auth-options.js';
export { AuthModule, type AuthModuleAsyncOptions } from './auth.module.js';
export type { AuthenticatedUser } from './authenticated-user.js';
export type { AuthenticatedRequest } from './authenticated-request.js';
export { InvalidAccessTokenError, InvalidRefreshTokenError, RefreshTokenReusedError } from './auth-errors.js';
export { AccessTokenGuard } from './access-token.guard.js';
export { RolesGuard } from './roles.guard.js';
export { Roles, ROLES_KEY } from './roles.decorator.js';
export { CurrentUser } from './current-user.decorator.js';
export { TokenService, type SessionTokens } from './token.service.js';
export type { ConsumeResult, RefreshTokenRecord, RefreshTokenStore } from './refresh-token-store.js';
export { PgRefreshTokenStore } from './pg-refresh-token-store.js';
export { REFRESH_TOKEN_DROP_SQL, REFRESH_TOKEN_SCHEMA_SQL } from './refresh-token-schema.js';
export {
  CreateRefreshTokenTables1767312000000,
  CreateRefreshTokenTables1767312000000 as CreateRefreshTokenTables,
} from './refresh-token-migration.js';
export {
  PurposeTokenError,
  PurposeTokens,
  type PurposeTokenFailure,
  type PurposeTokensOptions,
} from './purpose-tokens.js';
export { hashPassword, verifyPassword } from './password.js';
export {
  DEFAULT_ACCOUNT_LOGIN_LIMIT,
  DEFAULT_ADDRESS_LOGIN_LIMIT,
  LoginThrottle,
  LoginThrottledError,
  type LoginAttempt,
  type LoginLimit,
  type LoginThrottleOptions,
} from './login-throttle.js';
export { signInWithPassword, type PasswordCredentials } from './password-sign-in.js';
