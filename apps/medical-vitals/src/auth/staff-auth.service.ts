import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { hashPassword, LoginThrottle, TokenService, verifyPassword, type SessionTokens } from '@remedy/auth';
import { StaffService } from '../staff/staff.service.js';
import type { LoginDto } from './login.dto.js';

/** Staff login, refresh and logout on top of @remedy/auth's TokenService (short access token, one-time refresh). */
@Injectable()
export class StaffAuthService {
  // Verifying against a real hash for unknown e-mails makes "no such account" cost as much as "wrong password".
  private readonly decoyHash = hashPassword('decoy password for unknown staff');

  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  /**
   * 429 (LoginThrottledError) while the account or the client address is locked, even for the right
   * password, so a guessing run cannot confirm a hit; the check comes before the (deliberately slow) hash.
   */
  async login(dto: LoginDto, address: string): Promise<SessionTokens> {
    const attempt = { account: dto.email, address };
    await this.throttle.assertAllowed(attempt);
    const member = await this.staff.findForLogin(dto.email);
    const valid = await verifyPassword(dto.password, member?.passwordHash ?? (await this.decoyHash));
    if (!member || !valid) {
      await this.throttle.recordFailure(attempt);
      throw new UnauthorizedException('invalid email or password');
    }
    await this.throttle.recordSuccess(attempt);
    return this.tokens.startSession({ id: member.id, role: member.role });
  }

  refresh(refreshToken: string): Promise<SessionTokens> {
    return this.tokens.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.endSession(refreshToken);
  }
}
