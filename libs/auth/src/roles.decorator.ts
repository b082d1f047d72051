import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'remedy:auth:roles';

/** The roles allowed on a handler or controller; enforced by `RolesGuard` after `AccessTokenGuard`. */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
