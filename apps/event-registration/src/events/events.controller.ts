import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, Roles, RolesGuard, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import type { KeysetPage } from '@remedy/pagination';
import { ApiUuidId } from '../http/api-uuid-id.js';
import { CreateEventDto } from './create-event.dto.js';
import { EventCommandsService } from './event-commands.service.js';
import { EventDto, EventPageDto } from './event.dto.js';
import { EventPageQueryDto } from './event-page-query.dto.js';
import { EventQueriesService } from './event-queries.service.js';
import { EventVersionDto, UpdateEventDto } from './update-event.dto.js';

@ApiTags('events')
@ApiBearerAuth()
@UseGuards(AccessTokenGuard, RolesGuard)
@Controller('events')
export class EventsController {
  constructor(
    private readonly commands: EventCommandsService,
    private readonly queries: EventQueriesService,
  ) {}

  @Get()
  @ApiOkResponse({
    type: EventPageDto,
    description: 'A keyset page, soonest first; follow pagination.nextCursor.',
  })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: EventPageQueryDto,
  ): Promise<KeysetPage<EventDto>> {
    if (query.status === 'draft' && user.role !== 'organiser') {
      throw new ForbiddenException({ message: 'drafts are visible to their organiser only', details: [] });
    }
    return this.queries.list({
      status: query.status,
      organiserId: query.status === 'draft' ? user.id : null,
      category: query.category ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      cursor: query.cursor ?? null,
      limit: query.limit ?? null,
    });
  }

  @Get(':id')
  @ApiUuidId()
  @ApiOkResponse({ type: EventDto })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<EventDto> {
    return this.queries.get(id, user.id);
  }

  @Post()
  @Roles('organiser')
  @ApiCreatedResponse({ type: EventDto, description: 'Created as a draft.' })
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateEventDto): Promise<EventDto> {
    return this.commands.create(user.id, body);
  }

  @Patch(':id')
  @ApiUuidId()
  @Roles('organiser')
  @ApiOkResponse({ type: EventDto, description: '409 when `version` is not the current one.' })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdateEventDto,
  ): Promise<EventDto> {
    return this.commands.update(id, user.id, body);
  }

  @Post(':id/publish')
  @ApiUuidId()
  @HttpCode(200)
  @Roles('organiser')
  @ApiOkResponse({ type: EventDto })
  publish(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: EventVersionDto,
  ): Promise<EventDto> {
    return this.commands.transition(id, user.id, body.version, 'published');
  }

  @Post(':id/cancel')
  @ApiUuidId()
  @HttpCode(200)
  @Roles('organiser')
  @ApiOkResponse({ type: EventDto })
  cancel(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: EventVersionDto,
  ): Promise<EventDto> {
    return this.commands.transition(id, user.id, body.version, 'cancelled');
  }
}
