import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import type { KeysetPage } from '@remedy/pagination';
import { NotificationPageQueryDto } from './notification-page-query.dto.js';
import { NotificationQueries } from './notification-queries.js';
import { NotificationPageDto, type NotificationDto } from './notification.dto.js';

/** The signed-in member's own notices (the global MemberGuard requires a token; nobody reads another's). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationQueries) {}

  @Get()
  @ApiOperation({ summary: 'My notices, newest first, one keyset page (at most 100)' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: NotificationPageQueryDto,
  ): Promise<KeysetPage<NotificationDto>> {
    return this.notifications.page(user.id, query);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOperation({ summary: 'Mark one of my notices read (idempotent)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async markRead(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.notifications.markRead(user.id, id);
  }
}
