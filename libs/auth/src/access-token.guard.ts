import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { InvalidAccessTokenError } from './auth-errors.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { TokenService } from './token.service.js';

/** Requires `Authorization: Bearer <access token>`; puts the user on the request for `@CurrentUser()`. */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
    if (!match?.[1]) throw new InvalidAccessTokenError('missing bearer access token');
    request.user = await this.tokens.verifyAccessToken(match[1]);
    return true;
  }
}
