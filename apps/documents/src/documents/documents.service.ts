import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import type { Document } from './document.js';
import {
  DELETE_DOCUMENT_SQL,
  DOCUMENT_BY_ID_SQL,
  INSERT_DOCUMENT_SQL,
  RENAME_DOCUMENT_SQL,
} from './documents.sql.js';
import { organisationDocumentsPage } from './organisation-documents-page.js';

/**
 * Documents of the caller's organisation: create, read, list, rename, delete. A document of another
 * organisation is a 404, never a 403: its existence is not disclosed.
 */
@Injectable()
export class DocumentsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(owner: Member, title: string): Promise<Document> {
    const [created] = await this.dataSource.query<Document[]>(INSERT_DOCUMENT_SQL, [
      owner.organisationId,
      owner.id,
      title,
    ]);
    if (!created) throw new Error('document insert returned no row');
    return created;
  }

  async get(member: Member, documentId: string): Promise<Document> {
    const [document] = await this.dataSource.query<Document[]>(DOCUMENT_BY_ID_SQL, [
      documentId,
      member.organisationId,
    ]);
    if (!document) throw documentNotFound(documentId);
    return document;
  }

  async page(
    member: Member,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<Document>> {
    const { sql, parameters, page } = organisationDocumentsPage(member.organisationId, cursor, limit);
    const rows = await this.dataSource.query<Document[]>(sql, parameters);
    return page.toPage(rows);
  }

  async rename(member: Member, documentId: string, title: string): Promise<Document> {
    const [renamed] = await this.dataSource.query<Document[]>(RENAME_DOCUMENT_SQL, [
      documentId,
      member.organisationId,
      title,
    ]);
    if (!renamed) throw documentNotFound(documentId);
    return renamed;
  }

  /** An admin deletes any document of the organisation; an editor only their own (403 for another's). */
  async delete(member: Member, documentId: string): Promise<void> {
    const deleted = await this.dataSource.query<{ id: string }[]>(DELETE_DOCUMENT_SQL, [
      documentId,
      member.organisationId,
      member.id,
      member.role === 'admin',
    ]);
    if (deleted.length > 0) return;
    await this.get(member, documentId);
    throw new ForbiddenException('only the owner of a document or an admin deletes it');
  }
}

export function documentNotFound(documentId: string): NotFoundException {
  return new NotFoundException(`document ${documentId} not found`);
}
