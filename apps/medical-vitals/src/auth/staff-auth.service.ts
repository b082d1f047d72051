import { Inject, Injectable } from '@nestjs/common';
import { LoginThrottle, signInWithPassword, TokenService, type SessionTokens } from '@remedy/auth';
import { StaffService } from '../staff/staff.service.js';
import type { LoginDto } from './login.dto.js';

/** Staff login, refresh and logout on top of @remedy/auth's TokenService (short access token, one-time refresh). */
@Injectable()
export class StaffAuthService {
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
    const member = await signInWithPassword(this.throttle, { ...dto, address }, (email) =>
      this.staff.findForLogin(email),
    );
    return this.tokens.startSession({ id: member.id, role: member.role });
  }

  refresh(refreshToken: string): Promise<SessionTokens> {
    return this.tokens.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.endSession(refreshToken);
  }
}
