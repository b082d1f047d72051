import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { CreateDocumentVersionDto } from './create-document-version.dto.js';
import { DocumentVersionPageQueryDto } from './document-version-page-query.dto.js';
import {
  DocumentRestoreDto,
  DocumentVersionDto,
  DocumentVersionPageDto,
  DocumentVersionSummaryDto,
} from './document-version.dto.js';
import { DocumentVersionsService } from './document-versions.service.js';

/** Editors and admins take and restore versions; every member reads them, as they read the document. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents/:id/versions')
export class DocumentVersionsController {
  constructor(private readonly versions: DocumentVersionsService) {}

  @Post()
  @Roles('admin', 'editor')
  @ApiOperation({ summary: "Save the document's current co-edited content as a named version" })
  @ApiCreatedResponse({ type: DocumentVersionSummaryDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation' })
  create(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) documentId: string,
    @Body() dto: CreateDocumentVersionDto,
  ): Promise<DocumentVersionSummaryDto> {
    return this.versions.create(member, documentId, dto.name);
  }

  @Get()
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: "The document's versions, newest first, one keyset page (at most 100)" })
  @ApiOkResponse({ type: DocumentVersionPageDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation' })
  page(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) documentId: string,
    @Query() query: DocumentVersionPageQueryDto,
  ): Promise<DocumentVersionPageDto> {
    return this.versions.page(member, documentId, query.cursor, query.limit);
  }

  @Get(':versionId')
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'One version of the document, with its text' })
  @ApiOkResponse({ type: DocumentVersionDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation, or no such version of it' })
  get(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) documentId: string,
    @Param('versionId', uuidParam('versionId')) versionId: string,
  ): Promise<DocumentVersionDto> {
    return this.versions.get(member, documentId, versionId);
  }

  @Post(':versionId/restore')
  @HttpCode(200)
  @Roles('admin', 'editor')
  @ApiOperation({
    summary:
      "Turn the document's text into the version's with a new edit that every editor receives; the text it " +
      'replaces is saved as a version first',
  })
  @ApiOkResponse({ type: DocumentRestoreDto })
  @ApiNotFoundResponse({ description: 'no such document in your organisation, or no such version of it' })
  restore(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) documentId: string,
    @Param('versionId', uuidParam('versionId')) versionId: string,
  ): Promise<DocumentRestoreDto> {
    return this.versions.restore(member, documentId, versionId);
  }
}
