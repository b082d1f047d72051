import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { USER_ROLES } from '../users/user-role.js';
import { CreateSessionDto } from './create-session.dto.js';
import { SessionPageQueryDto } from './session-page-query.dto.js';
import { SessionDto, SessionPageDto } from './session.dto.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Roles('organiser')
  @ApiOperation({ summary: "Create a scheduled session in the caller's organisation" })
  @ApiCreatedResponse({ type: SessionDto })
  create(@CurrentMember() member: Member, @Body() dto: CreateSessionDto): Promise<SessionDto> {
    return this.sessions.create(member, dto);
  }

  @Get()
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: "The organisation's sessions, newest first, one keyset page (at most 100)" })
  @ApiOkResponse({ type: SessionPageDto })
  page(@CurrentMember() member: Member, @Query() query: SessionPageQueryDto): Promise<SessionPageDto> {
    return this.sessions.page(member, query.cursor, query.limit);
  }

  @Get(':id')
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'A session of the organisation (served from the session cache)' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  get(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<SessionDto> {
    return this.sessions.get(member, id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('organiser')
  @ApiOperation({ summary: 'Start a scheduled session; starting a live one returns it unchanged' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  @ApiConflictResponse({ description: 'the session has ended' })
  start(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<SessionDto> {
    return this.sessions.start(member, id);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('organiser')
  @ApiOperation({
    summary: 'End the session: one "ended" event however many callers end it; ending it again returns it',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  end(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<SessionDto> {
    return this.sessions.end(member, id);
  }
}
