import { Body, Controller, Get, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { UserDto } from '../users/user.dto.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import { LoginDto } from './login.dto.js';
import { RefreshTokenDto } from './refresh-token.dto.js';
import { SessionDto } from './session.dto.js';
import { SignupDto } from './signup.dto.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/signup')
  @ApiOperation({ summary: 'Create an attendee account and start a session (409 if the e-mail is taken)' })
  @ApiCreatedResponse({ type: SessionDto })
  signup(@Body() dto: SignupDto): Promise<SessionDto> {
    return this.auth.signup(dto);
  }

  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a session: a 15 min access token and a 7 day one-time refresh token' })
  @ApiOkResponse({ type: SessionDto })
  @ApiTooManyRequestsResponse({
    description: 'too many failed logins for the account or address; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<SessionDto> {
    return this.auth.login(dto, address);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Trade a refresh token for a new pair; a token used twice revokes every token of its login (401)',
  })
  refresh(@Body() dto: RefreshTokenDto): Promise<Omit<SessionDto, 'user'>> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this refresh token' })
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @UseGuards(AccessTokenGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserDto> {
    return UserDto.from(await this.users.findById(user.id));
  }
}
