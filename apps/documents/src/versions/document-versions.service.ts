import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import type { Member } from '../auth/member.js';
import { CollaborationGateway } from '../collaboration/collaboration.gateway.js';
import { DocumentContent, type QueryExecutor } from '../collaboration/document-content.js';
import { documentNotFound, DocumentsService } from '../documents/documents.service.js';
import { storableText } from '../documents/storable-text.js';
import type { DocumentRestore, DocumentVersion, DocumentVersionSummary } from './document-version.js';
import { MAX_VERSION_NAME_LENGTH } from './document-versions.policy.js';
import {
  DOCUMENT_FOR_VERSION_SQL,
  DOCUMENT_IN_ORGANISATION_SQL,
  INSERT_VERSION_SQL,
  LOCK_DOCUMENT_FOR_RESTORE_SQL,
  VERSION_SQL,
  VERSION_STATE_SQL,
} from './document-versions.sql.js';
import { documentVersionsPage } from './document-versions-page.js';
import { restoreUpdate } from './restore-update.js';

/** What a restore's transaction stored, handed to the editors and search once it committed. */
interface StoredRestore {
  result: DocumentRestore;
  update: Uint8Array | null;
  text: string;
}

type VersionWithState = DocumentVersionSummary & { state: Buffer };

/** What a version stores of the document: its merged Yjs state and that state's text. */
interface VersionContent {
  state: Uint8Array;
  text: string;
}

/**
 * Version history of a document's co-edited content. A version is the content every acknowledged edit made:
 * the snapshot and the update log, read in one statement (an edit is acknowledged only once appended, ADR 0084,
 * so an editor connected to another instance has nothing acknowledged that the log lacks). A restore never replaces
 * the document's state: it stores one new Yjs update that turns the current text into the version's, appended
 * to the log and sent to the editors like any edit (ADR 0072), after saving the text it replaces as a version.
 */
@Injectable()
export class DocumentVersionsService {
  private readonly logger = new Logger(DocumentVersionsService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DocumentContent) private readonly content: DocumentContent,
    @Inject(CollaborationGateway) private readonly collaboration: CollaborationGateway,
    @Inject(DocumentsService) private readonly documents: DocumentsService,
  ) {}

  async create(member: Member, documentId: string, name: string): Promise<DocumentVersionSummary> {
    return this.dataSource.transaction(async (manager) => {
      const [document] = await manager.query<unknown[]>(DOCUMENT_FOR_VERSION_SQL, [
        documentId,
        member.organisationId,
      ]);
      if (document === undefined) throw documentNotFound(documentId);
      const doc = await this.content.current(documentId, manager);
      if (doc === null) throw documentNotFound(documentId);
      return this.insert(manager, documentId, name, versionContent(doc), member.id);
    });
  }

  async page(
    member: Member,
    documentId: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<DocumentVersionSummary>> {
    const { sql, parameters, page } = documentVersionsPage(documentId, cursor, limit);
    await this.visible(member, documentId);
    const rows = await this.dataSource.query<DocumentVersionSummary[]>(sql, parameters);
    return page.toPage(rows);
  }

  async get(member: Member, documentId: string, versionId: string): Promise<DocumentVersion> {
    const [version] = await this.dataSource.query<DocumentVersion[]>(VERSION_SQL, [
      versionId,
      documentId,
      member.organisationId,
    ]);
    if (version === undefined) {
      await this.visible(member, documentId);
      throw versionNotFound(versionId);
    }
    return version;
  }

  /**
   * Turns the document's text into the version's with one new update, stored like an editor's (appended to
   * document_updates in the transaction that also saves the replaced text as a version), then sent to every
   * instance's editors and saved as the search body. Restores of one document run one at a time, each from the
   * content the previous one left.
   */
  async restore(member: Member, documentId: string, versionId: string): Promise<DocumentRestore> {
    const stored = await this.dataSource.transaction(async (manager): Promise<StoredRestore> => {
      const [document] = await manager.query<unknown[]>(LOCK_DOCUMENT_FOR_RESTORE_SQL, [
        documentId,
        member.organisationId,
      ]);
      if (document === undefined) throw documentNotFound(documentId);
      const [version] = await manager.query<VersionWithState[]>(VERSION_STATE_SQL, [versionId, documentId]);
      if (version === undefined) throw versionNotFound(versionId);
      const { state, ...restored } = version;
      const target = textOf(state);
      // Read after the lock is held, in a statement of its own: it sees every restore committed before.
      const doc = await this.content.current(documentId, manager);
      if (doc === null) throw documentNotFound(documentId);
      const replaced = versionContent(doc);
      const update = restoreUpdate(doc, target);
      if (update === null)
        return {
          update,
          text: target,
          result: { documentId, changed: false, restored, beforeRestore: null },
        };
      const name = beforeRestoreName(version.name);
      const beforeRestore = await this.insert(manager, documentId, name, replaced, member.id);
      await this.content.append(documentId, update, manager);
      return { update, text: target, result: { documentId, changed: true, restored, beforeRestore } };
    });
    if (stored.update !== null) await this.deliver(documentId, stored.update, stored.text);
    return stored.result;
  }

  /**
   * The stored restore reaches the editors (every instance) and search. Either failing leaves the restore
   * stored, the record every copy loads: it is logged, and the request still reports what was stored.
   */
  private async deliver(documentId: string, update: Uint8Array, text: string): Promise<void> {
    await this.collaboration
      .relayStoredUpdate(documentId, update)
      .catch((error: unknown) => this.failed(error));
    await this.documents.saveCoEditedText(documentId, text).catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): void {
    this.logger.error(error instanceof Error ? error : String(error));
  }

  private async insert(
    executor: QueryExecutor,
    documentId: string,
    name: string,
    content: VersionContent,
    createdBy: string,
  ): Promise<DocumentVersionSummary> {
    const [created] = await executor.query<DocumentVersionSummary[]>(INSERT_VERSION_SQL, [
      documentId,
      name,
      Buffer.from(content.state),
      storableText(content.text),
      createdBy,
    ]);
    return created!;
  }

  /** 404 unless the document is in the caller's organisation: a missing and a foreign one look the same. */
  private async visible(member: Member, documentId: string): Promise<void> {
    const [document] = await this.dataSource.query<unknown[]>(DOCUMENT_IN_ORGANISATION_SQL, [
      documentId,
      member.organisationId,
    ]);
    if (document === undefined) throw documentNotFound(documentId);
  }
}

export function versionNotFound(versionId: string): NotFoundException {
  return new NotFoundException(`version ${versionId} not found`);
}

function versionContent(doc: Y.Doc): VersionContent {
  return { state: Y.encodeStateAsUpdate(doc), text: doc.getText('content').toJSON() };
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('content').toJSON();
}

/** The name of the version saved just before a restore, within the name's length (whole characters). */
function beforeRestoreName(restoredName: string): string {
  const prefix = 'before restoring “';
  const room = MAX_VERSION_NAME_LENGTH - [...prefix].length - 1;
  const characters = [...restoredName];
  const shown = characters.length <= room ? restoredName : `${characters.slice(0, room - 1).join('')}…`;
  return `${prefix}${shown}”`;
}
