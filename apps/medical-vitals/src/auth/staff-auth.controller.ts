import { Body, Controller, Get, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { SessionTokens } from '@remedy/auth';
import type { StaffMember } from '../staff/staff-member.js';
import { CurrentStaff } from './current-staff.decorator.js';
import { LoginDto, RefreshTokenDto, SessionDto } from './login.dto.js';
import { Public } from './public.decorator.js';
import { StaffAuthService } from './staff-auth.service.js';

@ApiTags('auth')
@Controller('auth')
export class StaffAuthController {
  constructor(@Inject(StaffAuthService) private readonly auth: StaffAuthService) {}

  // Public: this is how a caller gets a token in the first place.
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff sign-in: a 15 min access token and a one-time refresh token' })
  @ApiOkResponse({ type: SessionDto })
  @ApiTooManyRequestsResponse({
    description: 'too many failed logins for the account or address; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<SessionTokens> {
    return this.auth.login(dto, address);
  }

  // Public: the refresh token in the body is the credential (the access token may have expired).
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair; a token used twice revokes the login (401)',
  })
  @ApiOkResponse({ type: SessionDto })
  refresh(@Body() dto: RefreshTokenDto): Promise<SessionTokens> {
    return this.auth.refresh(dto.refreshToken);
  }

  // Public: the refresh token in the body is the credential; unknown tokens are ignored.
  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this refresh token' })
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in member: role, hospital and wards' })
  me(@CurrentStaff() staff: StaffMember): StaffMember {
    return staff;
  }
}
