import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import {
  APPEND_UPDATE_SQL,
  DELETE_FOLDED_SQL,
  DOCUMENT_SNAPSHOT_SQL,
  DOCUMENT_UPDATES_SQL,
  LOCK_DOCUMENT_SQL,
  MEMBER_ROLE_FOR_DOCUMENT_SQL,
  SAVE_SNAPSHOT_SQL,
} from './document-content.sql.js';

/** A document's content as stored: the updates to apply, snapshot first, and how many are not folded yet. */
export interface StoredContent {
  updates: Uint8Array[];
  unfolded: number;
}

/**
 * The durable side of co-editing: an update is appended before its editor is told it was saved, and the
 * appended updates are folded into the document's snapshot from time to time so that loading a document reads
 * one snapshot and a bounded tail, however long it has been edited.
 */
@Injectable()
export class DocumentContent {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The user's role for this document, or null when it is not in their organisation (or does not exist). */
  async roleFor(userId: string, documentId: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ role: string }>>(MEMBER_ROLE_FOR_DOCUMENT_SQL, [
      documentId,
      userId,
    ]);
    return rows[0]?.role ?? null;
  }

  async load(documentId: string): Promise<StoredContent> {
    const [snapshot] = await this.dataSource.query<Array<{ state: Buffer | null }>>(DOCUMENT_SNAPSHOT_SQL, [
      documentId,
    ]);
    const rows = await this.dataSource.query<Array<{ update: Buffer }>>(DOCUMENT_UPDATES_SQL, [documentId]);
    const updates = rows.map((row) => new Uint8Array(row.update));
    return {
      updates: snapshot?.state ? [new Uint8Array(snapshot.state), ...updates] : updates,
      unfolded: updates.length,
    };
  }

  async append(documentId: string, update: Uint8Array): Promise<void> {
    await this.dataSource.query(APPEND_UPDATE_SQL, [documentId, Buffer.from(update)]);
  }

  /** Folds every appended update into the snapshot and deletes exactly the rows folded. */
  async compact(documentId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [locked] = await manager.query<Array<{ state: Buffer | null }>>(LOCK_DOCUMENT_SQL, [documentId]);
      if (!locked) return;
      const rows = await manager.query<Array<{ seq: string; update: Buffer }>>(DOCUMENT_UPDATES_SQL, [
        documentId,
      ]);
      if (rows.length === 0) return;
      const parts = rows.map((row) => new Uint8Array(row.update));
      if (locked.state) parts.unshift(new Uint8Array(locked.state));
      await manager.query(SAVE_SNAPSHOT_SQL, [documentId, Buffer.from(Y.mergeUpdates(parts))]);
      await manager.query(DELETE_FOLDED_SQL, [documentId, rows.map((row) => row.seq)]);
    });
  }
}
