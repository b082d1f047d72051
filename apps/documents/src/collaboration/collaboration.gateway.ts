import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import type { RedisClients } from '@remedy/pooling';
import {
  RealtimeHub,
  RedisRoomBus,
  type RealtimeClient,
  type RealtimeHubStats,
  type RoomMessage,
} from '@remedy/realtime';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, CollaborationConfig } from '../config.js';
import { DOCUMENT_WRITER_ROLES } from '../documents/documents.policy.js';
import { DocumentsService } from '../documents/documents.service.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import { AnnouncedPresence } from './announced-presence.js';
import { AppendWindow } from './append-window.js';
import { CoEditedTextSaver } from './co-edited-text-saver.js';
import { CollaborationMetrics } from './collaboration-metrics.js';
import { isCollaborationCommandError, parseCollaborationCommand } from './collaboration-command.js';
import { RefusedSyncMessage } from './collaboration-room.js';
import {
  COLLABORATION_ROOM_FACTORY,
  type CollaborationRoomFactory,
  type SyncRoom,
} from './collaboration-room-factory.js';
import { DocumentContent } from './document-content.js';

type CollabClient = RealtimeClient<AuthenticatedUser>;

/** Each open document holds a copy in memory on the instance: one socket may not pin an unbounded number. */
const MAX_OPEN_DOCUMENTS = 16;

/** A document open on this instance: the server's copy and the local sockets editing (true) or viewing it. */
interface OpenDocument {
  room: SyncRoom;
  members: Map<CollabClient, boolean>;
  /** The awareness clients each local socket announced, withdrawn for the others when it leaves or closes. */
  presence: Map<CollabClient, AnnouncedPresence>;
  /** This instance's updates of the document waiting for their write (group commit, ADR 0084). */
  appends: AppendWindow;
  /** Rows appended since the last compaction this instance knows of. */
  unfolded: number;
  compaction: Promise<void>;
}

/** What crosses instances on a document's channel: the frame for its sockets and the instance it came from. */
interface RelayedFrame {
  origin: string;
  /** A sync frame, whose update the receiving instance applies to its own copy too (not an awareness frame). */
  sync: boolean;
  frame: string;
}

/**
 * WebSocket /collab: real-time co-editing with Yjs (polyglot-b:S-2). A member authenticates with its access
 * token in the first message (no query string: 1008), opens documents of its organisation (editors and admins
 * write, viewers read and are seen in presence), and exchanges y-protocols sync and awareness messages. An
 * edit reaches the other editors as the Yjs update of that edit — a few bytes, not the document — on this
 * instance and, through Redis, on every instance with the document open, at once. The updates a document gets
 * on an instance within COLLAB_APPEND_WINDOW_MS are appended to document_updates as one row, and each sender
 * hears `saved` only once that row committed (ADR 0084); the rows are folded into the document's snapshot every
 * COLLAB_SNAPSHOT_EVERY rows.
 */
// maxPayload: ws accepts 100 MiB frames by default; the largest sync message is COLLAB_MAX_UPDATE_BYTES
// (at most 8 MiB) in base64, checked exactly when the frame is parsed.
@WebSocketGateway({ path: '/collab', maxPayload: 12 * 1024 * 1024 })
export class CollaborationGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CollaborationGateway.name);
  private readonly settings: CollaborationConfig;
  private readonly instance = randomUUID();
  private readonly hub: RealtimeHub<AuthenticatedUser>;
  private readonly bus: RedisRoomBus;
  private readonly documents = new Map<string, Promise<OpenDocument>>();
  /** The copies loaded (the promises above, resolved): what the metrics read at a scrape. */
  private readonly held = new Map<string, OpenDocument>();
  private readonly opened = new Map<CollabClient, Set<string>>();
  /** Compactions running, awaited on shutdown (a document's copy may be dropped while its compaction runs). */
  private readonly compactions = new Set<Promise<void>>();
  private readonly textSaver: CoEditedTextSaver;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(COLLABORATION_ROOM_FACTORY) private readonly createRoom: CollaborationRoomFactory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(DocumentContent) private readonly content: DocumentContent,
    @Inject(DocumentsService) documents: DocumentsService,
    @Inject(CollaborationMetrics) private readonly metrics: CollaborationMetrics,
  ) {
    this.settings = config.collaboration;
    this.textSaver = new CoEditedTextSaver(
      (documentId, text) => documents.saveCoEditedText(documentId, text),
      this.settings.textSave,
      (error) => this.logger.error(error instanceof Error ? error : String(error)),
    );
    this.hub = new RealtimeHub({
      name: 'collab',
      redis: { publisher: redis.publisher, subscriber: redis.subscriber },
      // The hub's own rooms are unused: a document's channel is the bus's below, which also updates this
      // instance's copy of the document before its sockets hear of an edit.
      channelPrefix: `${config.redis.keyPrefix}collab-hub:`,
      maxConnections: this.settings.maxConnections,
      authTimeoutMs: this.settings.authTimeoutMs,
      refuseQueryString: true,
      sendQueue: {
        highWaterMarkBytes: this.settings.sendHighWaterBytes,
        maxPendingMessages: this.settings.maxPendingMessages,
        // A missed update leaves the client's copy behind: close it, it reconnects and syncs again.
        overflow: 'close',
      },
      drainTimeoutMs: Math.min(config.http.shutdownGraceMs, 5_000),
      authenticate: (message) => this.authenticate(message),
      onMessage: (client, message) => this.onMessage(client, message),
      onDisconnected: (client) => void this.leaveAll(client),
      onError: (error) => this.logger.error(error instanceof Error ? error : String(error)),
    });
    this.bus = new RedisRoomBus({
      publisher: redis.publisher,
      subscriber: redis.subscriber,
      channelPrefix: `${config.redis.keyPrefix}collab:`,
      onMessage: (documentId, message) => void this.onRelayed(documentId, message),
    });
  }

  async onModuleInit(): Promise<void> {
    this.metrics.watch(() => ({
      hub: this.hub.stats(),
      openDocuments: this.held.size,
      maxUnfoldedUpdates: Math.max(0, ...[...this.held.values()].map((document) => document.unfolded)),
    }));
    if (this.redis.subscriber.status === 'wait') await this.redis.subscriber.connect();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  stats(): RealtimeHubStats {
    return this.hub.stats();
  }

  /**
   * Stores the updates held for their window (acknowledged while the sockets are open), closes every socket with
   * 1012 (clients reconnect elsewhere), stores what arrived meanwhile, saves the texts due for the search index,
   * then waits for running compactions.
   */
  async onModuleDestroy(): Promise<void> {
    await this.flushAppends();
    await this.hub.close();
    await this.flushAppends();
    await this.bus.close();
    await this.textSaver.close();
    await Promise.allSettled([...this.compactions]);
  }

  /**
   * An update the server itself stored in document_updates (a version restored): it reaches the editors exactly
   * as a stored edit does, applied to this instance's copy and sent to its sockets, and published on the
   * document's channel so every other instance applies it to its copy and sends it to its sockets.
   */
  async relayStoredUpdate(documentId: string, update: Uint8Array): Promise<void> {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    const frame = JSON.stringify({ type: 'sync', documentId, data: base64(encoding.toUint8Array(encoder)) });
    const pending = this.documents.get(documentId);
    // A copy still loading may or may not have read the update: Yjs applies it once either way.
    const document = pending === undefined ? undefined : await pending.catch(() => undefined);
    if (document !== undefined) Y.applyUpdate(document.room.doc, update, 'storage');
    await this.relay(documentId, document, null, frame, true);
  }

  private async authenticate(message: unknown): Promise<AuthenticatedUser | null> {
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    if (type !== 'auth' || typeof token !== 'string' || token.length > 4_096) return null;
    return this.tokens.verifyAccessToken(token).catch(() => null);
  }

  private async onMessage(client: CollabClient, message: unknown): Promise<void> {
    const command = parseCollaborationCommand(message, this.settings.maxUpdateBytes);
    if (isCollaborationCommandError(command))
      return client.sendError(command.code, command.message, command.details);
    if (command.type === 'open') return this.open(client, command.documentId);
    const document = this.opened.get(client)?.has(command.documentId)
      ? await this.documents.get(command.documentId)
      : undefined;
    if (document === undefined)
      return client.sendError('not-open', 'open the document first', [
        { field: 'documentId', problems: ['not a document this socket has open'] },
      ]);
    if (command.type === 'leave') {
      await this.leave(client, command.documentId);
      return client.send({ type: 'left', documentId: command.documentId });
    }
    if (command.type === 'awareness') {
      const presence = document.presence.get(client) ?? new AnnouncedPresence();
      presence.note(command.data);
      document.presence.set(client, presence);
      return this.relay(
        command.documentId,
        document,
        client,
        awarenessFrame(command.documentId, command.data),
      );
    }
    return this.sync(client, command.documentId, document, command.data);
  }

  private async open(client: CollabClient, documentId: string): Promise<void> {
    const alreadyOpen = this.opened.get(client);
    if (alreadyOpen !== undefined && alreadyOpen.size >= MAX_OPEN_DOCUMENTS && !alreadyOpen.has(documentId))
      return client.sendError(
        'too-many-documents',
        `at most ${MAX_OPEN_DOCUMENTS} documents open per socket`,
        [{ field: 'documentId', problems: ['leave another document first'] }],
      );
    const role = await this.content.roleFor(client.principal.id, documentId);
    // One answer for "no such document" and "another organisation's": a socket cannot probe for documents.
    if (role === null)
      return client.sendError('not-found', 'no such document in your organisation', [
        { field: 'documentId', problems: ['not a document of your organisation'] },
      ]);
    const canWrite = DOCUMENT_WRITER_ROLES.includes(role);
    const document = await this.roomOf(documentId);
    document.members.set(client, canWrite);
    const opened = this.opened.get(client) ?? new Set<string>();
    opened.add(documentId);
    this.opened.set(client, opened);
    client.send({ type: 'opened', documentId, canWrite });
    // Sync step 1 to an editor: it answers with what the server lacks (edits made offline). A viewer has
    // nothing to contribute: it only sends its own step 1 and reads the answer.
    if (canWrite) client.send({ type: 'sync', documentId, data: base64(document.room.greeting()) });
  }

  private async sync(client: CollabClient, documentId: string, document: OpenDocument, data: Uint8Array) {
    let outcome;
    try {
      outcome = document.room.receive(data, document.members.get(client) === true);
    } catch (error) {
      if (!(error instanceof RefusedSyncMessage)) throw error;
      const readOnly = document.members.get(client) !== true;
      return client.sendError(readOnly ? 'read-only' : 'refused', error.message, [
        { field: 'data', problems: [error.message] },
      ]);
    }
    if (outcome.reply) client.send({ type: 'sync', documentId, data: base64(outcome.reply) });
    if (!outcome.broadcast) return;
    const update = updateOf(outcome.broadcast);
    // The others get the edit now; its sender hears `saved` once the window's write holding it committed. The
    // sender keeps the edit until then: if this instance dies first, its resync elsewhere carries it again.
    const frame = JSON.stringify({ type: 'sync', documentId, data: base64(outcome.broadcast) });
    await this.relay(documentId, document, client, frame, true);
    document.appends.add(update, () => {
      this.metrics.stored(update.byteLength);
      client.send({ type: 'saved', documentId });
    });
  }

  /** A window of the document's updates committed as one row: search's text and the snapshot are due. */
  private appended(documentId: string, document: OpenDocument): void {
    // Search reads the text, not the CRDT: it is saved as the body once the edits pause (even if the copy is
    // dropped meanwhile: the closure keeps it).
    this.textSaver.edited(documentId, () => document.room.doc.getText('content').toJSON());
    document.unfolded += 1;
    if (document.unfolded >= this.settings.snapshotEvery) {
      document.unfolded = 0;
      const compaction = document.compaction
        .then(() => this.content.compact(documentId))
        .catch((error: unknown) => {
          this.metrics.compactionFailed();
          this.logger.error(error instanceof Error ? error : String(error));
        });
      document.compaction = compaction;
      this.compactions.add(compaction);
      void compaction.finally(() => this.compactions.delete(compaction));
    }
  }

  /**
   * A window's write failed: its updates are in this copy but not stored, and a resync against this copy would
   * not bring them back (its state vector has them). So the copy goes (with the updates held for the next
   * window), and every local member is told `not-saved` and opens the document again: the copy then loaded
   * from the database answers their sync step 1 with what it lacks, their unsaved edits among it (ADR 0084).
   */
  private async dropFailedCopy(documentId: string, document: OpenDocument, error: unknown): Promise<void> {
    this.logger.error(error instanceof Error ? error : String(error));
    document.appends.discard();
    if (this.held.get(documentId) !== document) return;
    this.documents.delete(documentId);
    this.held.delete(documentId);
    for (const member of document.members.keys()) {
      this.opened.get(member)?.delete(documentId);
      member.sendError('not-saved', 'edits were not saved; open the document again');
    }
    document.members.clear();
    document.presence.clear();
    await this.bus.unsubscribe(documentId);
  }

  private async flushAppends(): Promise<void> {
    await Promise.all([...this.held.values()].map((document) => document.appends.flush()));
  }

  /**
   * To this instance's other sockets on the document now (none when it is not open here), and to every other
   * instance through Redis.
   */
  private async relay(
    documentId: string,
    document: OpenDocument | undefined,
    sender: CollabClient | null,
    frame: string,
    sync = false,
  ): Promise<void> {
    // Encoded once for every member: each socket is handed the same bytes (ADR 0060).
    const bytes = Buffer.from(frame);
    for (const member of document?.members.keys() ?? []) if (member !== sender) member.send(bytes);
    const relayed: RelayedFrame = { origin: this.instance, sync, frame };
    await this.bus.publish(documentId, { payload: JSON.stringify(relayed) });
  }

  /** Another instance's edit or presence: applied to this instance's copy first, then sent to its sockets. */
  private async onRelayed(documentId: string, message: RoomMessage): Promise<void> {
    const relayed = JSON.parse(message.payload) as RelayedFrame;
    if (relayed.origin === this.instance) return;
    const pending = this.documents.get(documentId);
    if (pending === undefined) return;
    const document = await pending;
    if (relayed.sync) {
      const { data } = JSON.parse(relayed.frame) as { data: string };
      Y.applyUpdate(document.room.doc, updateOf(new Uint8Array(Buffer.from(data, 'base64'))), 'relay');
    }
    const bytes = Buffer.from(relayed.frame);
    for (const member of document.members.keys()) member.send(bytes);
  }

  /**
   * This instance's copy of the document, loaded once: subscribed first, so an edit made elsewhere while the
   * stored content is read arrives after it and is applied on top (Yjs applies an update once, in any order).
   */
  private roomOf(documentId: string): Promise<OpenDocument> {
    const known = this.documents.get(documentId);
    if (known !== undefined) return known;
    const loading = (async (): Promise<OpenDocument> => {
      await this.bus.subscribe(documentId);
      const stored = await this.content.load(documentId);
      const room = this.createRoom(this.settings.maxUpdateBytes);
      for (const update of stored.updates) Y.applyUpdate(room.doc, update, 'storage');
      const document: OpenDocument = {
        room,
        members: new Map(),
        presence: new Map(),
        appends: new AppendWindow(
          async (update) => {
            await this.content.append(documentId, update);
            this.appended(documentId, document);
          },
          this.settings.appendWindow,
          (error) => void this.dropFailedCopy(documentId, document, error),
        ),
        unfolded: stored.unfolded,
        compaction: Promise.resolve(),
      };
      return document;
    })();
    this.documents.set(documentId, loading);
    void loading.then(
      (document) => {
        if (this.documents.get(documentId) === loading) this.held.set(documentId, document);
      },
      () => this.documents.delete(documentId),
    );
    return loading;
  }

  private async leave(client: CollabClient, documentId: string): Promise<void> {
    this.opened.get(client)?.delete(documentId);
    const pending = this.documents.get(documentId);
    if (pending === undefined) return;
    const document = await pending;
    document.members.delete(client);
    const withdrawal = document.presence.get(client)?.withdrawal() ?? null;
    document.presence.delete(client);
    // Its presence goes with it, on every instance, now rather than after the others' awareness timeout.
    if (withdrawal !== null)
      await this.relay(documentId, document, client, awarenessFrame(documentId, withdrawal));
    if (document.members.size > 0 || this.documents.get(documentId) !== pending) return;
    // The last local socket left: drop the copy (the database has every saved edit, and the held ones are
    // stored before the channel goes) and the channel.
    this.documents.delete(documentId);
    this.held.delete(documentId);
    await document.appends.flush();
    // Its text is saved for search now, while the copy is still current.
    void this.textSaver.saveNow(documentId);
    await this.bus.unsubscribe(documentId);
  }

  private async leaveAll(client: CollabClient): Promise<void> {
    const documentIds = [...(this.opened.get(client) ?? [])];
    this.opened.delete(client);
    for (const documentId of documentIds) await this.leave(client, documentId).catch(() => undefined);
  }
}

/** The Yjs update inside a sync update (or step 2) message: what is stored and applied by other instances. */
function updateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

function awarenessFrame(documentId: string, update: Uint8Array): string {
  return JSON.stringify({ type: 'awareness', documentId, data: base64(update) });
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
