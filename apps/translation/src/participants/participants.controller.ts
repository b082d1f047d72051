import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { invalidField, uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { USER_ROLES } from '../users/user-role.js';
import { JoinSessionDto } from './join-session.dto.js';
import { ParticipantDto, ParticipantPageDto, SessionLanguageDto } from './participant.dto.js';
import { ParticipantPageQueryDto } from './participant-page-query.dto.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from './participants.policy.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('sessions/:id')
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Post('participants')
  @HttpCode(200)
  @Roles(...USER_ROLES)
  @ApiOperation({
    summary:
      'Join the session in a language (or switch language). Idempotent: a replay answers 200 with the same participant.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'The client’s key for this join (letters, digits, - and _; at most 100). A replay with the same key never changes the language.',
  })
  @ApiOkResponse({ type: ParticipantDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  @ApiConflictResponse({ description: 'the session has ended' })
  join(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: JoinSessionDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
  ): Promise<ParticipantDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw invalidField('Idempotency-Key', 'must be 1 to 100 letters, digits, - or _');
    }
    return this.participants.join(member, id, dto.language, idempotencyKey);
  }

  @Delete('participants/me')
  @HttpCode(204)
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'Leave the session' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such session in your organisation, or you are not in it' })
  async leave(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.participants.leave(member, id);
  }

  @Get('participants')
  @Roles('organiser', 'speaker')
  @ApiOperation({
    summary: 'The participants and their languages, by user id, one keyset page (at most 100)',
  })
  @ApiOkResponse({ type: ParticipantPageDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  page(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: ParticipantPageQueryDto,
  ): Promise<ParticipantPageDto> {
    return this.participants.page(member, id, query.cursor, query.limit);
  }

  @Get('languages')
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'The languages the session is followed in, with the number of participants each' })
  @ApiOkResponse({ type: [SessionLanguageDto] })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  languages(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<SessionLanguageDto[]> {
    return this.participants.languages(member, id);
  }
}
