import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { HistoryPageDto } from './history-entry.dto.js';
import { HistoryPageQueryDto } from './history-page-query.dto.js';
import { HistoryService } from './history.service.js';

@ApiTags('history')
@ApiBearerAuth()
@Controller('sessions/:id/history')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  // The transcript of a session is the organisers' and speakers' record, like its participant list.
  @Roles('organiser', 'speaker')
  @ApiOperation({
    summary: "The session's translations of the last 30 days, newest first, one keyset page (at most 100)",
  })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiNotFoundResponse({ description: 'no such session in your organisation' })
  page(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: HistoryPageQueryDto,
  ): Promise<HistoryPageDto> {
    return this.history.page(member, id, query.cursor, query.limit);
  }
}
