import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import * as Y from 'yjs';
import {
  APPEND_AS_WRITER_SQL,
  APPEND_UPDATE_SQL,
  DELETE_FOLDED_SQL,
  DOCUMENT_CONTENT_SQL,
  DOCUMENT_UPDATES_SQL,
  LOCK_DOCUMENT_SQL,
  MEMBER_ROLE_FOR_DOCUMENT_SQL,
  SAVE_SNAPSHOT_SQL,
  TAKE_WRITER_FROM_SQL,
  TAKE_WRITER_SQL,
  WRITER_EPOCH_SQL,
} from './document-content.sql.js';

/** Where a statement runs: the pool, or a transaction's manager. */
export type QueryExecutor = Pick<EntityManager, 'query'>;

/** A document's content as stored: the updates to apply, snapshot first, and the tail not folded yet. */
export interface StoredContent {
  updates: Uint8Array[];
  /** Rows of document_updates (windows) not yet folded into the snapshot, and their bytes. */
  unfolded: number;
  unfoldedBytes: number;
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
    return (await this.read(documentId, this.dataSource)) ?? { updates: [], unfolded: 0, unfoldedBytes: 0 };
  }

  /**
   * The document as every instance will hold it once the updates acknowledged so far reach it: the snapshot and
   * the appended log, the authoritative record (an edit is appended before anyone hears of it). Null when there
   * is no such document.
   */
  async current(documentId: string, executor: QueryExecutor = this.dataSource): Promise<Y.Doc | null> {
    const stored = await this.read(documentId, executor);
    if (stored === null) return null;
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update, 'storage');
    return doc;
  }

  /** Appends an update, in `executor`'s transaction when it is one (a restore stores its update with the rest). */
  async append(
    documentId: string,
    update: Uint8Array,
    executor: QueryExecutor = this.dataSource,
  ): Promise<void> {
    await executor.query(APPEND_UPDATE_SQL, [documentId, Buffer.from(update)]);
  }

  /**
   * Takes the document over as its writer (ADR 0086): bumps its epoch, fencing every earlier writer, and stores
   * `unstored(stored)`, what this instance's copy holds that the database lacks, in the same transaction. The
   * stored content is read only when `copyHasEdits()`, asked once the epoch is taken, says the copy applied
   * edits since it was loaded: a copy holding only what it read from the database has nothing to add (a cold
   * load then costs no second read). Resolves to the new epoch, or null when there is no such document.
   */
  async takeOver(
    documentId: string,
    copyHasEdits: () => boolean,
    unstored: (stored: Y.Doc) => Uint8Array | null,
  ): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const [taken] = await manager.query<Array<{ writer_epoch: string }>>(TAKE_WRITER_SQL, [documentId]);
      if (taken === undefined) return null;
      if (!copyHasEdits()) return Number(taken.writer_epoch);
      const stored = await this.current(documentId, manager);
      const update = stored === null ? null : unstored(stored);
      if (update !== null) await this.append(documentId, update, manager);
      return Number(taken.writer_epoch);
    });
  }

  /**
   * The document's writer epoch now, or null when there is no such document: what an instance that took the
   * lease with a copy holding only what it loaded takes over from at its first window (ADR 0095).
   */
  async writerEpoch(documentId: string): Promise<number | null> {
    const [row] = await this.dataSource.query<Array<{ writer_epoch: string }>>(WRITER_EPOCH_SQL, [
      documentId,
    ]);
    return row === undefined ? null : Number(row.writer_epoch);
  }

  /**
   * The first window of a writer whose copy only loaded: takes the document over from `readEpoch` (bumping the
   * epoch, fencing every earlier writer) and appends the window, with `alsoStore`, in one transaction. Null, and
   * nothing written, when another writer took over since the epoch was read; else the new epoch.
   */
  async takeOverWithWindow(
    documentId: string,
    update: Uint8Array,
    readEpoch: number,
    alsoStore?: (executor: EntityManager) => Promise<void>,
  ): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const [taken] = await manager.query<Array<{ writer_epoch: string }>>(TAKE_WRITER_FROM_SQL, [
        documentId,
        readEpoch,
      ]);
      if (taken === undefined) return null;
      await this.append(documentId, update, manager);
      if (alsoStore !== undefined) await alsoStore(manager);
      return Number(taken.writer_epoch);
    });
  }

  /**
   * Appends a window's update as the writer of `epoch`, with `alsoStore` (the search text, when due) in the same
   * transaction. False, and nothing written, when a later writer took the document over.
   */
  async appendAsWriter(
    documentId: string,
    update: Uint8Array,
    epoch: number,
    alsoStore?: (executor: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const insert = async (executor: QueryExecutor): Promise<boolean> => {
      const rows = await executor.query<unknown[]>(APPEND_AS_WRITER_SQL, [
        documentId,
        Buffer.from(update),
        epoch,
      ]);
      return rows.length > 0;
    };
    if (alsoStore === undefined) return insert(this.dataSource);
    return this.dataSource.transaction(async (manager) => {
      if (!(await insert(manager))) return false;
      await alsoStore(manager);
      return true;
    });
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

  private async read(documentId: string, executor: QueryExecutor): Promise<StoredContent | null> {
    const rows = await executor.query<Array<{ part: number; bytes: Buffer | null }>>(DOCUMENT_CONTENT_SQL, [
      documentId,
    ]);
    const [snapshot, ...tail] = rows;
    if (snapshot === undefined || snapshot.part !== 0) return null;
    const updates = tail.map((row) => new Uint8Array(row.bytes!));
    return {
      updates: snapshot.bytes ? [new Uint8Array(snapshot.bytes), ...updates] : updates,
      unfolded: updates.length,
      unfoldedBytes: updates.reduce((total, update) => total + update.byteLength, 0),
    };
  }
}
