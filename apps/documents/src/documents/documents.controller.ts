import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
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
import { DocumentPageQueryDto } from './document-page-query.dto.js';
import { DocumentWriteDto } from './document-write.dto.js';
import { DocumentDto, DocumentPageDto } from './document.dto.js';
import { DocumentsService } from './documents.service.js';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Roles('admin', 'editor')
  @ApiOperation({ summary: "Create a document in the caller's organisation, owned by the caller" })
  @ApiCreatedResponse({ type: DocumentDto })
  create(@CurrentMember() member: Member, @Body() dto: DocumentWriteDto): Promise<DocumentDto> {
    return this.documents.create(member, dto.title, dto.body ?? '');
  }

  @Get()
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: "The organisation's documents, newest first, one keyset page (at most 100)" })
  @ApiOkResponse({ type: DocumentPageDto })
  page(@CurrentMember() member: Member, @Query() query: DocumentPageQueryDto): Promise<DocumentPageDto> {
    return this.documents.page(member, query.cursor, query.limit);
  }

  @Get(':id')
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'A document of the organisation' })
  @ApiOkResponse({ type: DocumentDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation' })
  get(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<DocumentDto> {
    return this.documents.get(member, id);
  }

  @Patch(':id')
  @Roles('admin', 'editor')
  @ApiOperation({ summary: 'Rename a document and optionally replace its body' })
  @ApiOkResponse({ type: DocumentDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation' })
  update(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: DocumentWriteDto,
  ): Promise<DocumentDto> {
    return this.documents.update(member, id, dto.title, dto.body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'editor')
  @ApiOperation({ summary: 'Delete a document: an admin any, an editor their own' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiForbiddenResponse({ description: 'an editor deleting a document they do not own' })
  @ApiNotFoundResponse({ description: 'no such document in your organisation' })
  delete(@CurrentMember() member: Member, @Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.documents.delete(member, id);
  }
}
