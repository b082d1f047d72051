import { Injectable } from '@nestjs/common';
import { LoginThrottle, signInWithPassword, TokenService, type SessionTokens } from '@remedy/auth';
import { UserDto } from '../users/user.dto.js';
import type { User } from '../users/user.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto } from './login.dto.js';
import type { AuthSessionDto } from './session.dto.js';
import type { SignupDto } from './signup.dto.js';

/** Signup (a new organisation), login, refresh and logout on top of @remedy/auth's TokenService. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  async signup(dto: SignupDto): Promise<AuthSessionDto> {
    return this.session(await this.users.createOrganisation(dto.organisationName, dto));
  }

  /** 429 (LoginThrottledError) while the account or the address is locked, even for the right password. */
  async login(dto: LoginDto, address: string): Promise<AuthSessionDto> {
    const user = await signInWithPassword(this.throttle, { ...dto, address }, (email) =>
      this.users.findForLogin(email),
    );
    return this.session(user);
  }

  /** A refresh token works once; presenting a spent one revokes its whole login (both holders must log in). */
  refresh(refreshToken: string): Promise<SessionTokens> {
    return this.tokens.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.endSession(refreshToken);
  }

  private async session(user: User): Promise<AuthSessionDto> {
    const tokens = await this.tokens.startSession({ id: user.id, role: user.role });
    return { ...tokens, user: UserDto.from(user) };
  }
}
