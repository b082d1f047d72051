import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthService } from './auth.service.js';
import { LoginDto } from './login.dto.js';
import { Public } from './public.decorator.js';
import { RefreshTokenDto } from './refresh-token.dto.js';
import { AuthSessionDto, RefreshedAuthSessionDto } from './session.dto.js';
import { SignupDto } from './signup.dto.js';

/** Public on purpose: these are how a caller without an access token gets one. */
@ApiTags('auth')
@Controller('auth')
@Public()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @ApiOperation({ summary: 'Create an organisation with the caller as its admin and start a session' })
  @ApiCreatedResponse({ type: AuthSessionDto })
  @ApiConflictResponse({ description: 'the e-mail is taken' })
  signup(@Body() dto: SignupDto): Promise<AuthSessionDto> {
    return this.auth.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a session: a 1 h access token and a 7 day one-time refresh token' })
  @ApiOkResponse({ type: AuthSessionDto })
  @ApiTooManyRequestsResponse({
    description: 'too many failed logins for the account or address; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<AuthSessionDto> {
    return this.auth.login(dto, address);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Trade a refresh token for a new pair; a token used twice revokes every token of its login (401)',
  })
  @ApiOkResponse({ type: RefreshedAuthSessionDto })
  @ApiUnauthorizedResponse({ description: 'unknown, expired, revoked or already used refresh token' })
  refresh(@Body() dto: RefreshTokenDto): Promise<RefreshedAuthSessionDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this refresh token' })
  @ApiNoContentResponse()
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }
}
