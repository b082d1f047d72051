import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { ifNoneMatchHits, uuidParam } from '@remedy/http';
import type { KeysetPage } from '@remedy/pagination';
import { Public } from '../auth/public.decorator.js';
import { GoLiveDto } from './go-live.dto.js';
import { LiveListRepresentations } from './live-list.representations.js';
import { StreamPageQueryDto } from './stream-page-query.dto.js';
import { StreamQueries } from './stream-queries.js';
import { StreamDto, StreamPageDto } from './stream.dto.js';
import { StreamsService } from './streams.service.js';

/** What the live list does with Fastify's reply (the app does not depend on fastify's types). */
interface LiveListReply {
  header(name: string, value: string): LiveListReply;
  status(code: number): LiveListReply;
  type(contentType: string): LiveListReply;
  send(body?: string): unknown;
}

@ApiTags('streams')
@ApiBearerAuth()
@Controller()
export class StreamsController {
  constructor(
    private readonly streams: StreamsService,
    private readonly queries: StreamQueries,
    private readonly liveList: LiveListRepresentations,
  ) {}

  @Post('streams')
  @ApiOperation({ summary: 'Go live: start a stream (one live stream per streamer at a time)' })
  @ApiCreatedResponse({ type: StreamDto })
  @ApiConflictResponse({ description: 'The caller is already live' })
  goLive(@CurrentUser() user: AuthenticatedUser, @Body() request: GoLiveDto): Promise<StreamDto> {
    return this.streams.goLive(user.id, request);
  }

  @Post('streams/:id/end')
  @HttpCode(200)
  @ApiOperation({ summary: "End the caller's stream (idempotent)" })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: StreamDto })
  @ApiForbiddenResponse({ description: "Someone else's stream" })
  @ApiNotFoundResponse()
  end(@CurrentUser() user: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<StreamDto> {
    return this.streams.end(user.id, id);
  }

  /*
   * Public on purpose (livestream:M5): the live list is the same for everyone and shows only what streamers
   * publish, so it needs no token and a CDN may serve it to all viewers (Cache-Control: public, s-maxage).
   */
  @Public()
  @Get('streams/live')
  @ApiOperation({
    summary: 'Live streams, newest first, one keyset page (at most 100); public and CDN-cacheable',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy the client holds' })
  @ApiOkResponse({ type: StreamPageDto })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current' })
  async live(
    @Query() query: StreamPageQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: LiveListReply,
  ): Promise<void> {
    const representation = await this.liveList.page(query);
    if (representation.cacheControl !== undefined) reply.header('cache-control', representation.cacheControl);
    if (representation.etag !== undefined) {
      reply.header('etag', representation.etag);
      if (ifNoneMatchHits(ifNoneMatch, representation.etag)) {
        reply.status(304).send();
        return;
      }
    }
    reply.status(200).type('application/json; charset=utf-8').send(representation.body);
  }

  @Get('streams/:id')
  @ApiOperation({ summary: 'One stream, live or ended, with its streamer' })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: StreamDto })
  @ApiNotFoundResponse()
  get(@Param('id', uuidParam('id')) id: string): Promise<StreamDto> {
    return this.queries.byId(id);
  }

  @Get('users/:id/streams')
  @ApiOperation({ summary: "A streamer's past (ended) streams, newest first, one keyset page (at most 100)" })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: StreamPageDto })
  pastStreams(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: StreamPageQueryDto,
  ): Promise<KeysetPage<StreamDto>> {
    return this.queries.pastStreams(id, query);
  }
}
