import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, Roles, RolesGuard, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { EventStatsDto } from './event-stats.dto.js';
import { StatsService } from './stats.service.js';
import { ApiUuidId } from '../http/api-uuid-id.js';

@ApiTags('stats')
@ApiBearerAuth()
@UseGuards(AccessTokenGuard, RolesGuard)
@ApiUuidId()
@Controller('events/:id/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Roles('organiser')
  @ApiOkResponse({
    type: EventStatsDto,
    description: "The event's organiser only; cached, invalidated on every change.",
  })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<EventStatsDto> {
    return this.stats.forOrganiser(id, user.id);
  }
}
