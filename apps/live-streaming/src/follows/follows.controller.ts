import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import { FollowListRouting } from './follow-list-routing.js';
import { FollowListQueries } from './follow-list.queries.js';
import { FollowPageQueryDto } from './follow-page-query.dto.js';
import { FollowPageDto, type FollowEntryDto } from './follow-page.dto.js';
import { FollowsService } from './follows.service.js';

@ApiTags('follows')
@ApiBearerAuth()
@ApiParam({ name: 'id', type: 'string', format: 'uuid' })
@Controller('users/:id')
export class FollowsController {
  constructor(
    private readonly follows: FollowsService,
    private readonly lists: FollowListQueries,
    private readonly routing: FollowListRouting,
  ) {}

  @Post('follow')
  @HttpCode(204)
  @ApiOperation({ summary: 'Follow this user (idempotent)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async follow(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.follows.follow(user.id, id);
  }

  @Delete('follow')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop following this user (idempotent)' })
  @ApiNoContentResponse()
  async unfollow(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.follows.unfollow(user.id, id);
  }

  @Get('followers')
  @ApiOperation({ summary: "This user's followers, newest first, one keyset page (at most 100)" })
  @ApiOkResponse({ type: FollowPageDto })
  followers(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: FollowPageQueryDto,
  ): Promise<KeysetPage<FollowEntryDto>> {
    return this.lists.followers(id, query, this.routing.sourceFor(user.id, id));
  }

  @Get('following')
  @ApiOperation({ summary: 'Who this user follows, newest first, one keyset page (at most 100)' })
  @ApiOkResponse({ type: FollowPageDto })
  following(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: FollowPageQueryDto,
  ): Promise<KeysetPage<FollowEntryDto>> {
    return this.lists.following(id, query, this.routing.sourceFor(user.id, id));
  }
}
