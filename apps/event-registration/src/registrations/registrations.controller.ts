import { Controller, Delete, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { ApiUuidId } from '../http/api-uuid-id.js';
import type { KeysetPage } from '@remedy/pagination';
import { CancelRegistrationService } from './cancel-registration.service.js';
import { MyRegistrationsQueryDto } from './my-registrations-query.dto.js';
import { MyRegistrationsService, type MyRegistrationRow } from './my-registrations.service.js';
import { RegisterService } from './register.service.js';
import { RegistrationDto } from './registration.dto.js';

@ApiTags('registrations')
@Controller()
@UseGuards(AccessTokenGuard)
@ApiBearerAuth()
export class RegistrationsController {
  constructor(
    private readonly registerService: RegisterService,
    private readonly cancelService: CancelRegistrationService,
    private readonly mine: MyRegistrationsService,
  ) {}

  @Post('events/:id/registrations')
  @ApiOperation({
    summary: 'Register for a published event: a seat while any is left, else a waitlist place',
    description: 'The confirmation e-mail is sent afterwards by the worker (outbox), never in this request.',
  })
  @ApiCreatedResponse({ type: RegistrationDto })
  @ApiConflictResponse({ description: 'already registered, or the event is not open' })
  @ApiUuidId()
  async register(
    @Param('id', uuidParam('id')) eventId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RegistrationDto> {
    return RegistrationDto.from(await this.registerService.register(eventId, user.id));
  }

  @Delete('registrations/:id')
  @ApiOperation({
    summary:
      'Cancel your registration; the first waitlisted person gets the seat. Cancelling twice is a no-op.',
  })
  @ApiOkResponse({ type: RegistrationDto })
  @ApiConflictResponse({ description: 'already checked in, or changed concurrently' })
  @ApiUuidId()
  async cancel(
    @Param('id', uuidParam('id')) registrationId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RegistrationDto> {
    return RegistrationDto.from(await this.cancelService.cancel(registrationId, user.id));
  }

  @Get('me/registrations')
  @ApiOperation({ summary: 'Your registrations, newest first, keyset-paginated (`cursor`, `limit` ≤ 50)' })
  myRegistrations(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: MyRegistrationsQueryDto,
  ): Promise<KeysetPage<MyRegistrationRow>> {
    return this.mine.page(user.id, query.cursor, query.limit);
  }
}
