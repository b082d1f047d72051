import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { CreateGlossaryDto } from './create-glossary.dto.js';
import { GlossariesService } from './glossaries.service.js';
import { GlossaryDto, GlossaryPageDto } from './glossary.dto.js';
import { GlossaryPageQueryDto } from './glossary-page-query.dto.js';
import { GlossaryPairQueryDto } from './glossary-pair-query.dto.js';
import { GlossaryTermsDto } from './glossary-terms.dto.js';

const SAVED_NOT_YET_APPLIED =
  'the change is saved, but translations may still apply the previous glossary for a while: repeat it';

/** Organisers keep the glossaries; speakers may read them (to know how their terms will come out). */
@ApiTags('glossaries')
@ApiBearerAuth()
@Controller('glossaries')
export class GlossariesController {
  constructor(private readonly glossaries: GlossariesService) {}

  @Post()
  @Roles('organiser')
  @ApiOperation({ summary: 'Create the organisation’s glossary for a language pair (version 1)' })
  @ApiCreatedResponse({ type: GlossaryDto })
  @ApiConflictResponse({ description: 'the organisation already has a glossary for this pair' })
  @ApiServiceUnavailableResponse({ description: SAVED_NOT_YET_APPLIED })
  create(@CurrentMember() member: Member, @Body() dto: CreateGlossaryDto): Promise<GlossaryDto> {
    return this.glossaries.create(member, dto);
  }

  @Get()
  @Roles('organiser', 'speaker')
  @ApiOperation({ summary: 'The organisation’s glossaries in pair order, without terms, one keyset page' })
  @ApiOkResponse({ type: GlossaryPageDto })
  page(@CurrentMember() member: Member, @Query() query: GlossaryPageQueryDto): Promise<GlossaryPageDto> {
    return this.glossaries.page(member, query.cursor, query.limit);
  }

  @Get('lookup')
  @Roles('organiser', 'speaker')
  @ApiOperation({ summary: 'The glossary a translation between two languages applies, with its terms' })
  @ApiOkResponse({ type: GlossaryDto })
  @ApiNotFoundResponse({ description: 'no glossary for this pair' })
  lookup(@CurrentMember() member: Member, @Query() query: GlossaryPairQueryDto): Promise<GlossaryDto> {
    return this.glossaries.forPair(member, query.sourceLanguage, query.targetLanguage);
  }

  @Get(':id')
  @Roles('organiser', 'speaker')
  @ApiOperation({ summary: 'A glossary with its terms' })
  @ApiOkResponse({ type: GlossaryDto })
  @ApiNotFoundResponse({ description: 'no such glossary in your organisation' })
  get(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<GlossaryDto> {
    return this.glossaries.get(member, id);
  }

  @Put(':id')
  @Roles('organiser')
  @ApiOperation({ summary: 'Replace the terms; the version goes up by one' })
  @ApiOkResponse({ type: GlossaryDto })
  @ApiNotFoundResponse({ description: 'no such glossary in your organisation' })
  @ApiServiceUnavailableResponse({ description: SAVED_NOT_YET_APPLIED })
  replace(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: GlossaryTermsDto,
  ): Promise<GlossaryDto> {
    return this.glossaries.replaceTerms(member, id, dto.terms);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('organiser')
  @ApiOperation({ summary: 'Delete a glossary and its terms' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such glossary in your organisation' })
  @ApiServiceUnavailableResponse({ description: SAVED_NOT_YET_APPLIED })
  async delete(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.glossaries.delete(member, id);
  }
}
