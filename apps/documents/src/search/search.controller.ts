import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { USER_ROLES } from '../users/user-role.js';
import { DocumentSearchService } from './document-search.service.js';
import { SEARCH_CANDIDATES } from './search.policy.js';
import { SearchQueryDto } from './search-query.dto.js';
import { SearchPageDto } from './search-result.dto.js';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents/search')
export class SearchController {
  constructor(private readonly search: DocumentSearchService) {}

  @Get()
  @Roles(...USER_ROLES)
  @ApiOperation({
    summary: "Search the organisation's documents, best match first, one keyset page (≤ 50)",
    description: `At most ${SEARCH_CANDIDATES} candidates are ranked: the most recently changed documents matching the words (and, while the words match fewer, those whose title is close to the query). A query with fewer matches ranks them all; older matches of a very common word are not returned: add a word to narrow the search.`,
  })
  @ApiOkResponse({ type: SearchPageDto })
  find(@CurrentMember() member: Member, @Query() query: SearchQueryDto): Promise<SearchPageDto> {
    return this.search.search(member, query.q, query.cursor, query.limit);
  }
}
