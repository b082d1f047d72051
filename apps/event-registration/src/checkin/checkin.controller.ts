import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, Roles, RolesGuard, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { ApiUuidId } from '../http/api-uuid-id.js';
import { RegistrationDto } from '../registrations/registration.dto.js';
import { CheckinQrDto, CheckinRequestDto, CheckinResultDto } from './checkin.dto.js';
import { CheckinService } from './checkin.service.js';

@ApiTags('check-in')
@Controller()
@UseGuards(AccessTokenGuard, RolesGuard)
@ApiBearerAuth()
export class CheckinController {
  constructor(private readonly checkin: CheckinService) {}

  @Get('registrations/:id/qr')
  @ApiOperation({ summary: 'Your signed check-in code for a registration, as a token and a QR image' })
  @ApiOkResponse({ type: CheckinQrDto })
  @ApiUuidId()
  async qr(
    @Param('id', uuidParam('id')) registrationId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CheckinQrDto> {
    const qr = await this.checkin.qrFor(registrationId, user.id);
    return { token: qr.token, qrDataUrl: qr.qrDataUrl, expiresAt: qr.expiresAt.toISOString() };
  }

  @Post('checkin')
  @HttpCode(200)
  @Roles('organiser')
  @ApiOperation({
    summary:
      'Check an attendee in by their QR token (organiser of the event). Scanning twice changes nothing.',
    description:
      'Forged, expired or wrong-purpose tokens: 401 with the reason; another event or organiser: 403.',
  })
  @ApiOkResponse({ type: CheckinResultDto })
  async checkIn(
    @Body() dto: CheckinRequestDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CheckinResultDto> {
    const outcome = await this.checkin.checkIn(dto.token, user, dto.eventId);
    return {
      registration: RegistrationDto.from(outcome.registration),
      alreadyCheckedIn: outcome.alreadyCheckedIn,
    };
  }
}
