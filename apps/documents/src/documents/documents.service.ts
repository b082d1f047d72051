import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { DataSource, type EntityManager } from 'typeorm';
import type { Member } from '../auth/member.js';
import type { DocumentChange } from '../search/document-change.js';
import { DOCUMENT_CHANGE_FEED, type DocumentChangeFeed } from '../search/document-change-feed.js';
import type { Document } from './document.js';
import {
  DELETE_DOCUMENT_SQL,
  DOCUMENT_BY_ID_SQL,
  INSERT_DOCUMENT_SQL,
  SAVE_CO_EDITED_TEXT_SQL,
  UPDATE_DOCUMENT_SQL,
} from './documents.sql.js';
import { organisationDocumentsPage } from './organisation-documents-page.js';
import { storableText } from './storable-text.js';

/** A written row: the document's metadata plus what its search change carries. */
type ChangedDocument = Document & { version: number; body: string; changedAt: string };

/**
 * Documents of the caller's organisation: create, read, list, update, delete. A document of another
 * organisation is a 404, never a 403: its existence is not disclosed. Every write hands its change to the
 * DocumentChangeFeed inside the same transaction (polyglot-b:M-3), so the search index hears of exactly the
 * changes that committed.
 */
@Injectable()
export class DocumentsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DOCUMENT_CHANGE_FEED) private readonly changes: DocumentChangeFeed,
  ) {}

  async create(owner: Member, title: string, body: string): Promise<Document> {
    return this.write((manager) =>
      manager.query<ChangedDocument[]>(INSERT_DOCUMENT_SQL, [owner.organisationId, owner.id, title, body]),
    ).then((created) => created ?? failed('document insert returned no row'));
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

  /** Renames a document and, when `body` is given, replaces its body. */
  async update(
    member: Member,
    documentId: string,
    title: string,
    body: string | undefined,
  ): Promise<Document> {
    const updated = await this.write((manager) =>
      manager.query<ChangedDocument[]>(UPDATE_DOCUMENT_SQL, [
        documentId,
        member.organisationId,
        title,
        body ?? null,
      ]),
    );
    if (!updated) throw documentNotFound(documentId);
    return updated;
  }

  /**
   * Stores the text co-editors wrote (/collab) as the document's body, so search finds it: a change like any
   * other, through the change feed. The collaboration gateway calls it a moment after the edits stop.
   */
  async saveCoEditedText(documentId: string, text: string): Promise<void> {
    await this.write((manager) =>
      manager.query<ChangedDocument[]>(SAVE_CO_EDITED_TEXT_SQL, [documentId, storableText(text)]),
    );
  }

  /**
   * The same save inside a caller's transaction (a co-edited window's write, ADR 0086); the returned function
   * hands the change on and is called once that transaction committed.
   */
  async saveCoEditedTextIn(manager: EntityManager, documentId: string, text: string): Promise<() => void> {
    const [row] = await manager.query<ChangedDocument[]>(SAVE_CO_EDITED_TEXT_SQL, [
      documentId,
      storableText(text),
    ]);
    if (!row) return () => undefined;
    const change = changeOf(row);
    await this.changes.inTransaction(manager, change);
    return () => this.changes.afterCommit(change);
  }

  /** An admin deletes any document of the organisation; an editor only their own (403 for another's). */
  async delete(member: Member, documentId: string): Promise<void> {
    const change = await this.dataSource.transaction(async (manager) => {
      const [deleted] = await manager.query<Array<{ id: string; version: number; changedAt: string }>>(
        DELETE_DOCUMENT_SQL,
        [documentId, member.organisationId, member.id, member.role === 'admin'],
      );
      if (!deleted) return undefined;
      const tombstone: DocumentChange = {
        documentId,
        organisationId: member.organisationId,
        version: deleted.version,
        title: '',
        body: '',
        deleted: true,
        changedAt: deleted.changedAt,
      };
      await this.changes.inTransaction(manager, tombstone);
      return tombstone;
    });
    if (change) return this.changes.afterCommit(change);
    await this.get(member, documentId);
    throw new ForbiddenException('only the owner of a document or an admin deletes it');
  }

  /** Runs one write and records its change in the same transaction; returns the document's metadata. */
  private async write(
    statement: (manager: EntityManager) => Promise<ChangedDocument[]>,
  ): Promise<Document | undefined> {
    const written = await this.dataSource.transaction(async (manager) => {
      const [row] = await statement(manager);
      if (!row) return undefined;
      const { version: _version, body: _body, changedAt: _changedAt, ...document } = row;
      const change = changeOf(row);
      await this.changes.inTransaction(manager, change);
      return { document, change };
    });
    if (!written) return undefined;
    this.changes.afterCommit(written.change);
    return written.document;
  }
}

function changeOf(row: ChangedDocument): DocumentChange {
  return {
    documentId: row.id,
    organisationId: row.organisationId,
    version: row.version,
    title: row.title,
    body: row.body,
    deleted: false,
    changedAt: row.changedAt,
  };
}

export function documentNotFound(documentId: string): NotFoundException {
  return new NotFoundException(`document ${documentId} not found`);
}

function failed(message: string): never {
  throw new Error(message);
}
