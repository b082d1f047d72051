import { Injectable, UnauthorizedException } from '@nestjs/common';
import { hashPassword, LoginThrottle, TokenService, verifyPassword } from '@remedy/auth';
import { UserDto } from '../users/user.dto.js';
import type { UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto } from './login.dto.js';
import type { SessionDto } from './session.dto.js';
import type { SignupDto } from './signup.dto.js';

/** Signup (always an attendee), login, refresh and logout on top of @remedy/auth's TokenService. */
@Injectable()
export class AuthService {
  // Verifying against a real hash for unknown e-mails makes "no such user" cost as much as "wrong password".
  private readonly decoyHash = hashPassword('decoy password for unknown users');

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  async signup(dto: SignupDto): Promise<SessionDto> {
    const user = await this.users.create({ ...dto, role: 'attendee' });
    return this.session(user);
  }

  /** 429 (LoginThrottledError) while the account or the address is locked, even for the right password. */
  async login(dto: LoginDto, address: string): Promise<SessionDto> {
    const attempt = { account: dto.email, address };
    await this.throttle.assertAllowed(attempt);
    const user = await this.users.findForLogin(dto.email);
    const valid = await verifyPassword(dto.password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !valid) {
      await this.throttle.recordFailure(attempt);
      throw new UnauthorizedException('invalid email or password');
    }
    await this.throttle.recordSuccess(attempt);
    return this.session(user);
  }

  async refresh(refreshToken: string): Promise<Omit<SessionDto, 'user'>> {
    return this.tokens.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.endSession(refreshToken);
  }

  private async session(user: UserEntity): Promise<SessionDto> {
    const tokens = await this.tokens.startSession({ id: user.id, role: user.role });
    return { ...tokens, user: UserDto.from(user) };
  }
}
