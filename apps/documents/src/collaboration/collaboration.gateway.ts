import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import { QUEUE_REDIS, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import {
  RealtimeHub,
  RedisRoomBus,
  type RealtimeClient,
  type RealtimeHubStats,
  type RoomMessage,
  wallClockMs,
} from '@remedy/realtime';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type { EntityManager } from 'typeorm';
import * as Y from 'yjs';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, CollaborationConfig } from '../config.js';
import { DOCUMENT_WRITER_ROLES } from '../documents/documents.policy.js';
import { DocumentsService } from '../documents/documents.service.js';
import { AnnouncedPresence } from './announced-presence.js';
import { AppendWindow } from './append-window.js';
import { AppliedEditNumbers } from './applied-edit-numbers.js';
import { CoEditedTextSaver } from './co-edited-text-saver.js';
import { CollaborationMetrics, type FanOutPath, type WriteKind } from './collaboration-metrics.js';
import { isCollaborationCommandError, parseCollaborationCommand } from './collaboration-command.js';
import { RefusedSyncMessage } from './collaboration-room.js';
import {
  COLLABORATION_ROOM_FACTORY,
  type CollaborationRoomFactory,
  type SyncRoom,
} from './collaboration-room-factory.js';
import { DocumentContent } from './document-content.js';
import { DocumentWriterLease, type TakenLease } from './document-writer-lease.js';
import { RELAYED_MESSAGE_FILTER, type RelayedMessageFilter } from './relayed-message-filter.js';

type CollabClient = RealtimeClient<AuthenticatedUser>;

/** Each open document holds a copy in memory on the instance: one socket may not pin an unbounded number. */
const MAX_OPEN_DOCUMENTS = 16;

/** A document open on this instance: the server's copy and the local sockets editing (true) or viewing it. */
interface OpenDocument {
  room: SyncRoom;
  members: Map<CollabClient, boolean>;
  /** The awareness clients each local socket announced, withdrawn for the others when it leaves or closes. */
  presence: Map<CollabClient, AnnouncedPresence>;
  /**
   * This copy's name on the document's channel: its edits' origin. Per copy, not per instance: a copy loaded
   * again numbers its edits from 1 again, and must not be taken for the one before it.
   */
  origin: string;
  /** The edits this instance's editors made, numbered in the order it relayed them. */
  sent: number;
  /** The edit numbers this copy applied from each origin, its own included: what a takeover stores. */
  applied: AppliedEditNumbers;
  /**
   * The origins asked for edits this copy lacks since the writer's last window (by this copy, or by another
   * copy whose answer this one waits for): one request each per window.
   */
  asked: Set<string>;
  /** This instance's editors' edits not yet announced stored, oldest first: each hears `saved` once it is. */
  unacknowledged: Array<{ seq: number; client: CollabClient }>;
  /** The oldest of them at the last lease tick (0: none): still the oldest a tick later, the writer is told. */
  oldestAtLastTick: number;
  /**
   * The copy holds what the writer's copy held when it answered this copy's request after loading (or this copy
   * is the writer's): until then it may lack edits relayed before it subscribed and not stored when it read the
   * database, and asks again at each lease tick.
   */
  caughtUp: boolean;
  /** Set while this instance is the document's writer (ADR 0086). */
  term: WriterTerm | null;
  claiming: boolean;
  /** Rows appended since the last compaction this instance knows of, and their bytes. */
  unfolded: number;
  unfoldedBytes: number;
  compaction: Promise<void>;
}

/**
 * This instance's term as a document's writer (ADR 0086): it holds the lease, stores every update of the
 * document whichever instance's editor made it, one window at a time, and announces what is stored.
 */
interface WriterTerm {
  token: string;
  /**
   * The epoch its takeover wrote (null: the document is gone); every window's insert is fenced by it. While
   * `takeOverAtFirstWindow`, the epoch read when the lease was taken: the first window takes over from it.
   */
  epoch: Promise<number | null>;
  /** The copy only loaded when the lease was taken: nothing to store, so the takeover waits for a first window. */
  takeOverAtFirstWindow: boolean;
  appends: AppendWindow;
  /** Per origin, the number up to which every edit is stored: announced after each write, cumulative. */
  stored: Map<string, number>;
  /** The search text is due: the next window's transaction saves it too. */
  textDue: boolean;
  /**
   * When the document's last write transaction committed (performance.now()), this term's or, from the lease,
   * the previous writer's; null while none is known.
   */
  lastWriteAt: number | null;
}

/** A window's insert found a later writer's epoch: this instance lost the document to it. */
class FencedOut extends Error {}

/**
 * What crosses instances on a document's channel: a frame for its sockets, what its writer stored, a copy asking
 * an origin for edits of it that it lacks, or a copy just loaded asking the writer for what it lacks.
 */
type Relayed =
  | {
      kind: 'frame';
      origin: string;
      /** A sync frame, whose update the receiving instance applies to its own copy too (not an awareness frame). */
      sync: boolean;
      /** The origin's number for an editor's edit (none for a restore, stored before it is relayed). */
      seq?: number;
      /** The origin's answer to `missing`: what the asking copy lacked, every edit of the origin up to this number. */
      covers?: number;
      /**
       * With `covers` or `upTo`: the asking copy's state vector (base64), what the answer is the difference from.
       * A copy holding at least that much (every other copy waiting on the same request, usually) is whole up to
       * `covers` (or `upTo`) once it applied the answer; one lacking more than the asker did is not, and asks in
       * turn.
       */
      basis?: string;
      /**
       * The writer's answer to `loaded`: per origin, the number up to which its copy held every edit of it. Never
       * an acknowledgement (only `stored` is): a copy counts these edits as applied, nothing more.
       */
      upTo?: Record<string, number>;
      /** The writer's answer to `loaded`: the copy that asked, caught up once it applied the answer. */
      for?: string;
      /** An editor's edit: when its origin handled its message (wall clock, ms), for the fan-out's timing. */
      receivedAt?: number;
      frame: string;
    }
  | {
      kind: 'stored';
      origin: string;
      /** Per origin, the number up to which the writer stored its edits: it acknowledges its editors' up to it. */
      stored: Record<string, number>;
    }
  | {
      kind: 'sent';
      origin: string;
      /** The origin's edits numbered so far: its oldest unacknowledged one went a lease tick without `saved`. */
      sent: number;
    }
  | {
      kind: 'missing';
      origin: string;
      /** The origin whose numbers have a gap in the asking copy (an edit lost on the channel). */
      from: string;
      /** The asking copy's state vector (base64): the origin answers with what that copy lacks. */
      stateVector: string;
    }
  | {
      kind: 'loaded';
      /** A copy loaded from the database (after it subscribed): the writer answers with what it lacks. */
      origin: string;
      /** The loaded copy's state vector (base64). */
      stateVector: string;
    };

/**
 * WebSocket /collab: real-time co-editing with Yjs (polyglot-b:S-2). A member authenticates with its access
 * token in the first message (no query string: 1008), opens documents of its organisation (editors and admins
 * write, viewers read and are seen in presence), and exchanges y-protocols sync and awareness messages. An
 * edit reaches the other editors as the Yjs update of that edit — a few bytes, not the document — on this
 * instance and, through Redis, on every instance with the document open, at once. The updates a document gets
 * on an instance within COLLAB_APPEND_WINDOW_MS are appended to document_updates as one row, and each sender
 * hears `saved` only once that row committed (ADR 0084); the rows are folded into the document's snapshot every
 * COLLAB_SNAPSHOT_EVERY rows. One instance holding a document writes it (a Redis lease, fenced by
 * documents.writer_epoch): it stores every instance's edits and announces what is stored (ADR 0086).
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
  private readonly lease: DocumentWriterLease;
  private leaseTimer: NodeJS.Timeout | null = null;
  private keepingLeases = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(COLLABORATION_ROOM_FACTORY) private readonly createRoom: CollaborationRoomFactory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(DocumentContent) private readonly content: DocumentContent,
    @Inject(DocumentsService) private readonly documentsService: DocumentsService,
    @Inject(CollaborationMetrics) private readonly metrics: CollaborationMetrics,
    @Inject(QUEUE_REDIS) queueRedis: Redis,
    @Inject(RELAYED_MESSAGE_FILTER) private readonly takesRelayed: RelayedMessageFilter,
  ) {
    this.settings = config.collaboration;
    this.lease = new DocumentWriterLease(
      queueRedis,
      this.settings.writerLeaseMs,
      this.settings.appendWindow.windowMs,
    );
    this.textSaver = new CoEditedTextSaver(
      (documentId, text, now) => this.saveText(documentId, text, now),
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
      drainTimeoutMs: this.settings.socketsDrainMs,
      authenticate: (message) => this.authenticate(message),
      onMessage: (client, message) => this.onMessage(client, message),
      onDisconnected: (client) => void this.leaveAll(client),
      onError: (error) => this.logger.error(error instanceof Error ? error : String(error)),
    });
    this.bus = new RedisRoomBus({
      publisher: redis.publisher,
      subscriber: redis.subscriber,
      channelPrefix: `${config.redis.keyPrefix}collab:`,
      onMessage: (documentId, message, publishedAt) => void this.onRelayed(documentId, message, publishedAt),
    });
  }

  async onModuleInit(): Promise<void> {
    this.metrics.watch(() => ({
      hub: this.hub.stats(),
      openDocuments: this.held.size,
      maxUnfoldedUpdates: Math.max(0, ...[...this.held.values()].map((document) => document.unfolded)),
    }));
    if (this.redis.subscriber.status === 'wait') await this.redis.subscriber.connect();
    // A third of the TTL: the writer renews twice before its lease could expire, the others retry as often.
    this.leaseTimer = setInterval(() => void this.keepLeases(), Math.max(1, this.settings.writerLeaseMs / 3));
    this.leaseTimer.unref();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  stats(): RealtimeHubStats {
    return this.hub.stats();
  }

  /**
   * Drains each document it writes, storing the updates held for their window and the text due for the search
   * index in one transaction (acknowledged while the sockets are open), closes every socket with 1012 (clients
   * reconnect elsewhere), drains what arrived meanwhile, gives its writer leases up, then waits for running
   * compactions.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.leaseTimer !== null) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    await this.drainAll();
    await this.hub.close();
    await this.drainAll();
    // Texts due of documents whose copy went without a term to save them in (none, unless a write failed).
    await this.textSaver.close();
    // The others holding a document take it over at their next try instead of after the TTL.
    for (const [documentId, document] of this.held)
      if (document.term !== null) this.endTerm(documentId, document, document.term, true);
    await this.bus.close();
    await Promise.allSettled([...this.compactions]);
  }

  /**
   * An update the server itself stored in document_updates (a version restored): it reaches the editors exactly
   * as a stored edit does, applied to this instance's copy and sent to its sockets, and published on the
   * document's channel so every other instance applies it to its copy and sends it to its sockets.
   */
  async relayStoredUpdate(documentId: string, update: Uint8Array): Promise<void> {
    const frame = updateFrame(documentId, update);
    const pending = this.documents.get(documentId);
    // A copy still loading may or may not have read the update: Yjs applies it once either way.
    const document = pending === undefined ? undefined : await pending.catch(() => undefined);
    if (document !== undefined) Y.applyUpdate(document.room.doc, update, 'storage');
    await this.relay(documentId, document, null, frame, true, null);
  }

  private async authenticate(message: unknown): Promise<AuthenticatedUser | null> {
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    if (type !== 'auth' || typeof token !== 'string' || token.length > 4_096) return null;
    return this.tokens.verifyAccessToken(token).catch(() => null);
  }

  private async onMessage(client: CollabClient, message: unknown): Promise<void> {
    const receivedAt = wallClockMs();
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
    return this.sync(client, command.documentId, document, command.data, receivedAt);
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

  private async sync(
    client: CollabClient,
    documentId: string,
    document: OpenDocument,
    data: Uint8Array,
    receivedAt: number,
  ) {
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
    // The others get the edit now; its sender hears `saved` once the document's writer announced it stored.
    // The sender keeps the edit until then: if it is lost with a dying instance, its resync carries it again.
    const seq = (document.sent += 1);
    document.applied.note(document.origin, seq);
    document.unacknowledged.push({ seq, client });
    this.hold(documentId, document, document.origin, update);
    const frame = JSON.stringify({ type: 'sync', documentId, data: base64(outcome.broadcast) });
    await this.relay(documentId, document, client, frame, true, seq, receivedAt);
  }

  /**
   * An editor's edit, this instance's or relayed from another (or an origin's answer to `missing`), already
   * applied to the copy: the writer holds it for its next window (ADR 0086), whichever instance's editor made
   * it; the others only keep it in their copies. Once that window is stored, so is every edit of the origin up
   * to the number the copy had applied without a gap (each is in this window or an earlier one, or in the
   * takeover): that number is announced, not this edit's, which may lie past an edit lost on the channel.
   */
  private hold(documentId: string, document: OpenDocument, origin: string, update: Uint8Array): void {
    const term = document.term;
    if (term === null) return;
    const upTo = document.applied.upTo(origin);
    term.appends.add(update, () => {
      this.metrics.stored(update.byteLength);
      term.stored.set(origin, Math.max(term.stored.get(origin) ?? 0, upTo));
    });
    // Search reads the text, not the CRDT: it is saved as the body once the edits pause (even if the copy is
    // dropped meanwhile: the closure keeps it), in a window's transaction when one is gathering.
    this.textSaver.edited(documentId, () => document.room.doc.getText('content').toJSON());
  }

  /**
   * The search text is due. The document's writer saves it with its next window (ADR 0086): the window it is
   * gathering, or else a window of its own, a window after it opens, so the document's writes stay a window
   * apart (ADR 0095). A copy's drain takes it into its last write (ADR 0097); what is left when the instance
   * stops (`now`) is saved at once. An instance that is not the writer leaves it to the writer.
   */
  private async saveText(documentId: string, text: string, now: boolean): Promise<void> {
    const document = this.held.get(documentId);
    if (document !== undefined) {
      if (document.term === null) return;
      if (!now) {
        document.term.textDue = true;
        return document.term.appends.carry();
      }
      if (document.term.appends.holding()) {
        document.term.textDue = true;
        return;
      }
    }
    await this.documentsService.saveCoEditedText(documentId, text);
  }

  /**
   * The writer's announcement, at a copy that is not the writer: its editors' edits stored are acknowledged,
   * and the announcement is that copy's window. What the writer stored of an origin this copy lacks is a gap
   * (the origin's last edit lost on the way here only, which no later edit reveals), asked for as any other.
   */
  private heardStored(documentId: string, document: OpenDocument, stored: Record<string, number>): void {
    this.acknowledge(documentId, document, stored[document.origin] ?? 0);
    if (document.term !== null) return;
    for (const [origin, seq] of Object.entries(stored)) document.applied.announced(origin, seq);
    document.asked.clear();
    this.askForMissing(documentId, document);
  }

  /** Each of this instance's editors' edits up to `upTo` is stored: its sender hears `saved`. */
  private acknowledge(documentId: string, document: OpenDocument, upTo: number): void {
    while (document.unacknowledged.length > 0 && document.unacknowledged[0]!.seq <= upTo) {
      document.unacknowledged.shift()!.client.send({ type: 'saved', documentId });
    }
  }

  /**
   * What the writer stored so far, to this instance's editors and to every other instance's: cumulative, so a
   * lost announcement is made good by the next.
   */
  private announce(documentId: string, document: OpenDocument, term: WriterTerm): void {
    this.acknowledge(documentId, document, term.stored.get(document.origin) ?? 0);
    this.publishStored(documentId, document, term);
    // A request (or its answer) lost on the channel too is asked again, once per window while the gap lasts.
    document.asked.clear();
    this.askForMissing(documentId, document);
  }

  /**
   * A copy (the writer's or any other) has a gap in an origin's numbers (an edit lost on the channel): it asks
   * the origin for what it lacks, naming its state vector, at most once per the writer's window, and not while
   * another copy's request for the same origin waits for its answer (the answer is published to every copy).
   * Timer-free: a gap shows when a later edit of the origin arrives, or at the writer's announcement of it, and
   * is asked again after each window while it lasts.
   */
  private askForMissing(documentId: string, document: OpenDocument): void {
    for (const from of document.applied.gapped()) {
      if (document.asked.has(from)) continue;
      document.asked.add(from);
      this.ask(documentId, document, from);
    }
  }

  private ask(documentId: string, document: OpenDocument, from: string): void {
    this.metrics.missingEditsRequested();
    const stateVector = base64(Y.encodeStateVector(document.room.doc));
    this.publish(documentId, { kind: 'missing', origin: document.origin, from, stateVector });
  }

  /**
   * The lost edit no later one reveals (its origin's last): at each lease tick, a copy that is not the writer
   * and whose oldest unacknowledged edit was already its oldest at the previous tick tells the writer how many
   * edits it numbered. At most one small message per copy per tick, and only while an edit waits that long.
   */
  private reportStalled(documentId: string, document: OpenDocument): void {
    const oldest = document.unacknowledged[0]?.seq ?? 0;
    if (oldest !== 0 && oldest === document.oldestAtLastTick)
      this.publish(documentId, { kind: 'sent', origin: document.origin, sent: document.sent });
    document.oldestAtLastTick = oldest;
  }

  /**
   * An origin's edits wait for `saved` longer than they should. The writer lacking some asks for them (every
   * time: the report comes once a tick, and the previous request may be lost too); the writer having stored
   * them all announces again (the announcement was lost, and no later window made it good). Held for a window
   * not written yet: that window's announcement acknowledges them.
   */
  private stalled(documentId: string, document: OpenDocument, from: string, sent: number): void {
    const term = document.term;
    if (term === null) return;
    if (document.applied.upTo(from) < sent) return this.ask(documentId, document, from);
    if ((term.stored.get(from) ?? 0) >= sent) this.publishStored(documentId, document, term);
  }

  /** What the writer stored so far, per origin, to the other instances' copies. */
  private publishStored(documentId: string, document: OpenDocument, term: WriterTerm): void {
    this.publish(documentId, {
      kind: 'stored',
      origin: document.origin,
      stored: Object.fromEntries(term.stored),
    });
  }

  /**
   * The writer lacks edits of this copy: the answer is what its copy lacks (this copy's editors' edits among it,
   * deletions included: a Yjs diff carries the whole delete set), relayed as covering every edit numbered so far.
   */
  private answerMissing(documentId: string, document: OpenDocument, stateVector: string): void {
    if (document.sent === 0) return;
    const frame = updateFrame(documentId, lackedBy(document.room.doc, stateVector));
    this.publish(documentId, {
      kind: 'frame',
      origin: document.origin,
      sync: true,
      covers: document.sent,
      basis: stateVector,
      frame,
    });
  }

  /**
   * A copy just loaded from the database (after subscribing) may lack edits relayed before it subscribed and not
   * stored when it read (held for a window, or lost at the writer and not yet answered): it asks the writer, the
   * copy holding every copy's edits, stored or not. Once after loading, then at each lease tick until answered.
   */
  private askToCatchUp(documentId: string, document: OpenDocument): void {
    this.metrics.catchUpRequested();
    const stateVector = base64(Y.encodeStateVector(document.room.doc));
    this.publish(documentId, { kind: 'loaded', origin: document.origin, stateVector });
  }

  /**
   * The writer's answer to a copy just loaded: what its copy lacks, with the numbers up to which the writer's copy
   * held every edit of each origin, so the loaded copy counts them as applied (an origin's next edit shows no gap
   * there) and, should it take the document over, stores them. One answer per request; published to every copy.
   */
  private answerLoaded(documentId: string, document: OpenDocument, asker: string, stateVector: string): void {
    const frame = updateFrame(documentId, lackedBy(document.room.doc, stateVector));
    const upTo = [...document.applied.contiguous()].filter(([, seq]) => seq > 0);
    this.publish(documentId, {
      kind: 'frame',
      origin: document.origin,
      sync: true,
      basis: stateVector,
      upTo: Object.fromEntries(upTo),
      for: asker,
      frame,
    });
  }

  private publish(documentId: string, relayed: Relayed): void {
    this.bus
      .publish(documentId, { payload: JSON.stringify(relayed) })
      .catch((error: unknown) => this.logger.error(error instanceof Error ? error : String(error)));
  }

  /**
   * Takes the document's writer lease when nobody holds it (this copy was just loaded, or the writer died or
   * left): the takeover stores everything this copy has that the database lacks, then this instance stores
   * every window. Updates arriving while the takeover runs are held for the first window as well (Yjs stores
   * an update twice harmlessly), so none falls between the two.
   */
  private async claim(documentId: string, document: OpenDocument): Promise<void> {
    if (document.term !== null || document.claiming) return;
    document.claiming = true;
    try {
      const lease = await this.lease.acquire(documentId);
      if (lease === null) return;
      if (this.held.get(documentId) !== document)
        return void (await this.lease.release(documentId, lease.token, lease.previousCommitAgoMs));
      this.beginTerm(documentId, document, lease);
    } catch (error) {
      this.logger.error(error instanceof Error ? error : String(error));
    } finally {
      document.claiming = false;
    }
  }

  /**
   * A copy that applied edits since it loaded takes the document over at once, storing what the database lacks
   * (ADR 0086). A copy holding only what it loaded has nothing to store: it reads the epoch and takes over with
   * its first window, in that window's transaction, so a document that is opened and only read costs no write
   * (ADR 0095). A takeover in between (this lease lost) fences that first window like any other. A takeover of
   * its own is the term's first write: the first window comes a window after it (ADR 0097).
   */
  private beginTerm(documentId: string, document: OpenDocument, lease: TakenLease): void {
    let covered = new Map<string, number>();
    const takeOverAtFirstWindow = document.applied.isEmpty();
    const epoch = takeOverAtFirstWindow
      ? this.content.writerEpoch(documentId)
      : this.content.takeOver(
          documentId,
          () => {
            // Every edit this copy applied is numbered in `applied` (its own editors' and relayed ones); none:
            // the copy is what it loaded. Either way what it holds now without a gap is what the takeover covers.
            covered = document.applied.contiguous();
            return covered.size > 0;
          },
          (stored) => {
            covered = document.applied.contiguous();
            return unstoredPart(document.room.doc, stored);
          },
        );
    // The writer's copy is the one the others catch up with. One that takes the document over before it caught up
    // (the writer died before answering) stores what it holds; what only other copies hold is left open (ADR 0086).
    document.caughtUp = true;
    const term: WriterTerm = {
      token: lease.token,
      epoch,
      takeOverAtFirstWindow,
      stored: new Map(),
      textDue: false,
      appends: new AppendWindow(
        (update, draining) => this.writeWindow(documentId, document, term, update, draining),
        this.settings.appendWindow,
        (error) => void this.writeFailed(documentId, document, term, error),
        () => this.announce(documentId, document, term),
        lease.previousCommitAgoMs,
      ),
      lastWriteAt: lease.previousCommitAgoMs === null ? null : performance.now() - lease.previousCommitAgoMs,
    };
    document.term = term;
    if (!takeOverAtFirstWindow) {
      term.appends.own(epoch);
      void epoch.then(
        (taken) => {
          if (taken !== null) this.wrote(term, 'takeover');
        },
        () => undefined,
      );
    }
    epoch.then(
      (taken) => {
        if (taken === null || document.term !== term) return;
        for (const [origin, seq] of covered)
          term.stored.set(origin, Math.max(term.stored.get(origin) ?? 0, seq));
        this.announce(documentId, document, term);
        this.textSaver.edited(documentId, () => document.room.doc.getText('content').toJSON());
      },
      (error: unknown) => void this.writeFailed(documentId, document, term, error),
    );
  }

  /**
   * One window as the writer of its epoch, with the search text when it is due (one transaction); a window
   * holding only the text (no update: `update` null) saves it alone. `draining`: the copy's last write. Resolves
   * true once a transaction committed, counted by why it was made.
   */
  private async writeWindow(
    documentId: string,
    document: OpenDocument,
    term: WriterTerm,
    update: Uint8Array | null,
    draining: boolean,
  ): Promise<boolean> {
    const text = term.textDue ? document.room.doc.getText('content').toJSON() : null;
    term.textDue = false;
    const wrote = (kind: WriteKind): true => {
      this.wrote(term, draining ? 'drain' : kind);
      return true;
    };
    if (update === null) {
      if (text === null) return false;
      await this.documentsService.saveCoEditedText(documentId, text);
      return wrote('text');
    }
    const epoch = await term.epoch;
    if (epoch === null) throw new Error(`document ${documentId} is gone`);
    let textSaved: () => void = () => undefined;
    const alsoStore =
      text === null
        ? undefined
        : async (manager: EntityManager) => {
            textSaved = await this.documentsService.saveCoEditedTextIn(manager, documentId, text);
          };
    let written: boolean;
    const tookOver = term.takeOverAtFirstWindow;
    if (tookOver) {
      const taken = await this.content.takeOverWithWindow(documentId, update, epoch, alsoStore);
      written = taken !== null;
      if (taken !== null) {
        term.takeOverAtFirstWindow = false;
        term.epoch = Promise.resolve(taken);
      }
    } else written = await this.content.appendAsWriter(documentId, update, epoch, alsoStore);
    if (!written) throw new FencedOut(`document ${documentId} was taken over by a later writer`);
    textSaved();
    this.appended(documentId, document, update.byteLength);
    return wrote(tookOver ? 'takeover' : 'window');
  }

  /**
   * A window's write failed. Fenced out: another instance took the document over, and stores what this copy
   * holds (it was relayed to it). Any other failure drops the copy (ADR 0084) and gives the lease up, so an
   * instance still holding the document takes over and stores what its copy has.
   */
  private async writeFailed(
    documentId: string,
    document: OpenDocument,
    term: WriterTerm,
    error: unknown,
  ): Promise<void> {
    if (document.term !== term) return;
    if (error instanceof FencedOut) return this.endTerm(documentId, document, term, false);
    this.endTerm(documentId, document, term, true);
    await this.dropFailedCopy(documentId, document, error);
  }

  /**
   * A write transaction of the document committed: counted by why, and timed from the one before it, where
   * it commits (ADR 0097): what the document cost the database, whatever the windows meant to do.
   */
  private wrote(term: WriterTerm, kind: WriteKind): void {
    const now = performance.now();
    if (term.lastWriteAt !== null) this.metrics.wroteAfter(kind, now - term.lastWriteAt);
    term.lastWriteAt = now;
    this.metrics.wrote(kind);
  }

  /** The term ends (lease lost, failed write, copy dropped): what it held unwritten is another writer's now. */
  private endTerm(documentId: string, document: OpenDocument, term: WriterTerm, release: boolean): void {
    if (document.term !== term) return;
    document.term = null;
    term.appends.discard();
    if (release)
      this.lease
        .release(
          documentId,
          term.token,
          term.lastWriteAt === null ? null : performance.now() - term.lastWriteAt,
        )
        .catch((error: unknown) => this.logger.error(error instanceof Error ? error : String(error)));
  }

  /**
   * Every third of the lease's TTL: each writer renews its leases; each other copy reports edits that went a
   * tick without `saved`, and claims the lease if nobody holds it.
   */
  private async keepLeases(): Promise<void> {
    if (this.keepingLeases) return;
    this.keepingLeases = true;
    try {
      await Promise.all(
        [...this.held].map(async ([documentId, document]) => {
          const term = document.term;
          if (term === null) {
            this.reportStalled(documentId, document);
            // Its request or the answer was lost, or the writer died before answering: asked again, once a tick.
            if (!document.caughtUp) this.askToCatchUp(documentId, document);
            return this.claim(documentId, document);
          }
          const kept = await this.lease.renew(documentId, term.token).catch(() => false);
          if (!kept) this.endTerm(documentId, document, term, false);
        }),
      );
    } finally {
      this.keepingLeases = false;
    }
  }

  /**
   * A window of the document's updates committed as one row: the snapshot is due once the tail holds
   * COLLAB_SNAPSHOT_EVERY rows or COLLAB_SNAPSHOT_EVERY_BYTES, whichever comes first (ADR 0095).
   */
  private appended(documentId: string, document: OpenDocument, bytes: number): void {
    document.unfolded += 1;
    document.unfoldedBytes += bytes;
    if (
      document.unfolded >= this.settings.snapshotEvery ||
      document.unfoldedBytes >= this.settings.snapshotEveryBytes
    ) {
      document.unfolded = 0;
      document.unfoldedBytes = 0;
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
    if (this.held.get(documentId) !== document) return;
    this.documents.delete(documentId);
    this.held.delete(documentId);
    for (const member of document.members.keys()) {
      this.opened.get(member)?.delete(documentId);
      member.sendError('not-saved', 'edits were not saved; open the document again');
    }
    document.members.clear();
    document.presence.clear();
    document.unacknowledged = [];
    await this.bus.unsubscribe(documentId);
  }

  private async drainAll(): Promise<void> {
    await Promise.all(
      [...this.held].map(([documentId, document]) =>
        document.term === null ? Promise.resolve() : this.drain(documentId, document.term),
      ),
    );
  }

  /**
   * The copy's last write (its last editor left, or the instance stops): what its window holds and the search
   * text, when a save of it is pending, in one transaction, a window after the document's last write commit at
   * the earliest, at once if that has passed (ADR 0097): the last write keeps the spacing too.
   */
  private async drain(documentId: string, term: WriterTerm): Promise<void> {
    if (this.textSaver.takeDue(documentId)) {
      term.textDue = true;
      term.appends.carry();
    }
    await term.appends.drain();
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
    seq: number | null = null,
    receivedAt: number | null = null,
  ): Promise<void> {
    // Encoded once for every member: each socket is handed the same bytes (ADR 0060).
    const bytes = Buffer.from(frame);
    let sent = 0;
    for (const member of document?.members.keys() ?? [])
      if (member !== sender) {
        member.send(bytes);
        sent += 1;
      }
    if (receivedAt !== null && sent > 0) this.timeFanOut('local', receivedAt);
    const relayed: Relayed = {
      kind: 'frame',
      origin: document?.origin ?? this.instance,
      sync,
      frame,
      ...(seq === null ? {} : { seq }),
      ...(receivedAt === null ? {} : { receivedAt }),
    };
    await this.bus.publish(documentId, { payload: JSON.stringify(relayed) });
  }

  /**
   * Another copy's edit or presence: applied to this instance's copy first (and held for the window when this
   * instance is the writer), then sent to its sockets. Or the writer's announcement of what it stored, or its
   * request for what it lacks of this copy's edits.
   */
  private async onRelayed(
    documentId: string,
    message: RoomMessage,
    publishedAt: number | undefined,
  ): Promise<void> {
    if (!this.takesRelayed(documentId, message.payload)) return;
    const relayed = JSON.parse(message.payload) as Relayed;
    if (relayed.origin === this.instance) return;
    const pending = this.documents.get(documentId);
    if (pending === undefined) return;
    const document = await pending;
    // This instance hears its own copy's messages too (the origin names the copy): not a relay, not timed.
    if (relayed.origin === document.origin) return;
    const receivedAt = relayed.kind === 'frame' ? relayed.receivedAt : undefined;
    if (receivedAt !== undefined && publishedAt !== undefined)
      this.metrics.relayTransit(wallClockMs() - publishedAt);
    if (relayed.kind === 'stored') return this.heardStored(documentId, document, relayed.stored);
    if (relayed.kind === 'missing') {
      if (relayed.from === document.origin) this.answerMissing(documentId, document, relayed.stateVector);
      // Another copy asked for the same origin's edits: its answer goes to every copy, this one waits for it.
      else document.asked.add(relayed.from);
      return;
    }
    if (relayed.kind === 'sent') return this.stalled(documentId, document, relayed.origin, relayed.sent);
    if (relayed.kind === 'loaded') {
      if (document.term !== null)
        this.answerLoaded(documentId, document, relayed.origin, relayed.stateVector);
      return;
    }
    if (relayed.sync) {
      const { data } = JSON.parse(relayed.frame) as { data: string };
      const update = updateOf(new Uint8Array(Buffer.from(data, 'base64')));
      // An answer covers this copy only if the copy held, before applying it, at least what its asker held.
      const whole = relayed.basis !== undefined && holdsAtLeast(document.room.doc, relayed.basis);
      // Whether it changed the copy is asked of the writer's answer to a loaded copy only: the listener telling
      // it costs an encoding of the transaction, which every relayed edit would pay.
      let changed = true;
      if (relayed.upTo === undefined) Y.applyUpdate(document.room.doc, update, 'relay');
      else changed = applyChanges(document.room.doc, update);
      if (relayed.seq !== undefined) document.applied.note(relayed.origin, relayed.seq);
      if (whole && relayed.covers !== undefined) document.applied.cover(relayed.origin, relayed.covers);
      if (whole && relayed.upTo !== undefined)
        for (const [origin, seq] of Object.entries(relayed.upTo)) document.applied.cover(origin, seq);
      if (relayed.for === document.origin) document.caughtUp = true;
      if (relayed.seq !== undefined || relayed.covers !== undefined || relayed.upTo !== undefined) {
        // The writer holds an answer it applied even when it does not cover it: what the copy holds is stored.
        this.hold(documentId, document, relayed.origin, update);
        this.askForMissing(documentId, document);
      }
      // The writer's answer to a loaded copy usually brings nothing (the copy lacked nothing, or this is another
      // copy): its sockets are sent it only when it changed the copy, so a load costs the editors no frame.
      if (relayed.upTo !== undefined && !changed) return;
    }
    const bytes = Buffer.from(relayed.frame);
    for (const member of document.members.keys()) member.send(bytes);
    if (receivedAt !== undefined && document.members.size > 0) this.timeFanOut('relayed', receivedAt);
  }

  /**
   * The sends above only corked each socket's connection: BoundedSendQueue hands them to the kernel in a
   * process.nextTick queued by the first of them, which therefore runs before this one (ADR 0090's measure).
   */
  private timeFanOut(path: FanOutPath, receivedAt: number): void {
    process.nextTick(() => this.metrics.fannedOut(path, wallClockMs() - receivedAt));
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
        origin: randomUUID(),
        sent: 0,
        applied: new AppliedEditNumbers(),
        asked: new Set(),
        unacknowledged: [],
        oldestAtLastTick: 0,
        caughtUp: false,
        term: null,
        claiming: false,
        unfolded: stored.unfolded,
        unfoldedBytes: stored.unfoldedBytes,
        compaction: Promise.resolve(),
      };
      return document;
    })();
    this.documents.set(documentId, loading);
    void loading.then(
      (document) => {
        if (this.documents.get(documentId) !== loading) return;
        this.held.set(documentId, document);
        this.askToCatchUp(documentId, document);
        void this.claim(documentId, document);
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
    // The last local socket left: the copy's held edits (and its text, for search) are stored in its last
    // write, up to a window from now (ADR 0097). Until that write, the copy stays the document's copy here: a
    // socket opening the document meanwhile gets it, held edits and all (a load from the database would lack
    // them), and keeps it.
    const term = document.term;
    if (term !== null) {
      await this.drain(documentId, term);
      if (document.members.size > 0 || this.documents.get(documentId) !== pending) return;
      // A save of the text that came due again (edits relayed while the drain waited) is not this instance's:
      // the drain stored the text as it was when it wrote, and what came after is stored, with its text, by the
      // next writer. Saved from here, it would be a write of its own, unspaced, after the copy's last.
      this.textSaver.takeDue(documentId);
    }
    // Then the copy and the channel go, and the lease: another instance holding the document takes it over at
    // its next try, a window after the drain's commit.
    this.documents.delete(documentId);
    this.held.delete(documentId);
    if (term !== null) this.endTerm(documentId, document, term, true);
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

/** Applies a relayed update to the copy: true when it changed it (Yjs emits `update` only then). */
function applyChanges(copy: Y.Doc, update: Uint8Array): boolean {
  let changed = false;
  const onUpdate = () => {
    changed = true;
  };
  copy.on('update', onUpdate);
  try {
    Y.applyUpdate(copy, update, 'relay');
  } finally {
    copy.off('update', onUpdate);
  }
  return changed;
}

/**
 * Whether `copy` holds every update the state vector `basis` (base64) names: then an answer made as the
 * difference from `basis` brings it everything its origin had (deletions too: a Yjs diff carries the whole
 * delete set).
 */
function holdsAtLeast(copy: Y.Doc, basis: string): boolean {
  for (const [client, clock] of Y.decodeStateVector(new Uint8Array(Buffer.from(basis, 'base64'))))
    if (Y.getState(copy.store, client) < clock) return false;
  return true;
}

/** What `copy` holds that `stored` lacks (applied to `stored` to tell), or null when the database has it all. */
function unstoredPart(copy: Y.Doc, stored: Y.Doc): Uint8Array | null {
  const update = Y.encodeStateAsUpdate(copy, Y.encodeStateVector(stored));
  const before = Y.snapshot(stored);
  Y.applyUpdate(stored, update);
  return Y.equalSnapshots(before, Y.snapshot(stored)) ? null : update;
}

/** The sync frame (y-protocols' update message) a socket is sent for `update`, as JSON text. */
function updateFrame(documentId: string, update: Uint8Array): string {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return JSON.stringify({ type: 'sync', documentId, data: base64(encoding.toUint8Array(encoder)) });
}

/** What `copy` holds that a copy with the state vector `stateVector` (base64) lacks, as one update. */
function lackedBy(copy: Y.Doc, stateVector: string): Uint8Array {
  return Y.encodeStateAsUpdate(copy, new Uint8Array(Buffer.from(stateVector, 'base64')));
}

function awarenessFrame(documentId: string, update: Uint8Array): string {
  return JSON.stringify({ type: 'awareness', documentId, data: base64(update) });
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
