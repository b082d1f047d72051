import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { RealtimeHubStats } from '@remedy/realtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';

/** What the /collab gateway holds at a scrape: its hub's sockets and its copies of documents. */
export interface CollaborationStats {
  hub: RealtimeHubStats;
  /** Documents this instance holds a copy of (one of its sockets has each open). */
  openDocuments: number;
  /** Of those copies, the most updates stored but not folded into the document's snapshot yet. */
  maxUnfoldedUpdates: number;
}

/** Where an edit's fan-out ran on the servers: on its sender's instance, or on another one through Redis. */
export type FanOutPath = 'local' | 'relayed';

/**
 * Why a document's writer committed a write transaction (ADR 0097): a window of updates (the search text riding
 * in it or not); the search text in a window of its own; a takeover (alone, or made by the writer's first
 * window); the copy's last write, at once, when its last editor left or the instance stops.
 */
export type WriteKind = 'window' | 'text' | 'takeover' | 'drain';

/** The gap buckets, in windows: the one at 1 counts every pair of writes a window or less apart (none by design). */
const GAP_BUCKETS_IN_WINDOWS = [0.25, 0.5, 0.75, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10, 30];

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];

/**
 * /collab's metrics (the documents dashboard and alert rules read them): stored updates and their bytes as
 * counters (updates per second, bytes per update), compactions that failed, gauges read from the gateway
 * at scrape time — sockets, editors' copies, and the snapshot lag (updates a load must replay after the snapshot)
 * — and the servers' part of an edit's fan-out (ADR 0093): what the editors see beyond it is their own and the
 * network's.
 */
@Injectable()
export class CollaborationMetrics {
  private readonly updates: Counter;
  private readonly updateBytes: Counter;
  private readonly failedCompactions: Counter;
  private readonly missingRequests: Counter;
  private readonly catchUpRequests: Counter;
  private readonly fanOut: Histogram<'path'>;
  private readonly transit: Histogram;
  private readonly writeTransactions: Counter<'kind'>;
  private readonly writeGap: Histogram<'kind'>;

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.updates = new Counter({
      name: 'documents_collab_updates_stored_total',
      help: 'Yjs updates of co-editors stored (document_updates) and relayed by this instance',
      registers: [registry],
    });
    this.updateBytes = new Counter({
      name: 'documents_collab_update_bytes_total',
      help: 'Bytes of the Yjs updates stored by this instance (divide by the updates: bytes per update)',
      registers: [registry],
    });
    this.failedCompactions = new Counter({
      name: 'documents_collab_compactions_failed_total',
      help: 'Folds of stored updates into a snapshot that failed (the updates stay and are folded later)',
      registers: [registry],
    });
    this.missingRequests = new Counter({
      name: 'documents_collab_missing_requests_total',
      help:
        "Requests of this instance's copies of documents, the writer's or not, for another copy's edits they lack (an " +
        'edit lost on the Redis channel, or reported unacknowledged at a lease tick)',
      registers: [registry],
    });
    this.catchUpRequests = new Counter({
      name: 'documents_collab_catch_up_requests_total',
      help:
        "Requests of this instance's copies of documents, just loaded from the database, for what the writer's copy " +
        'holds that they lack (edits relayed before the copy subscribed and not yet stored): one per copy loaded, ' +
        'and one per lease tick while unanswered',
      registers: [registry],
    });
    this.fanOut = new Histogram({
      name: 'documents_collab_fanout_seconds',
      help:
        "Co-edited edits: from the edit's message handled on its sender's instance to its frame handed to the kernel " +
        "for every socket of the document on this instance (path: local, on the sender's instance; relayed, on another " +
        'through Redis). Wall clocks of two processes for relayed',
      labelNames: ['path'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.transit = new Histogram({
      name: 'documents_collab_relay_transit_seconds',
      help: "Co-edited edits relayed between instances: from the sender's instance's PUBLISH to this instance reading it",
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.writeTransactions = new Counter({
      name: 'documents_collab_write_transactions_total',
      help:
        "Write transactions a document's writer committed on this instance, by why (kind: window, text, takeover, " +
        'drain): at most one per document per COLLAB_APPEND_WINDOW_MS, a drain included (ADR 0097)',
      labelNames: ['kind'],
      registers: [registry],
    });
    const windowSeconds = config.collaboration.appendWindow.windowMs / 1000;
    this.writeGap = new Histogram({
      name: 'documents_collab_write_gap_seconds',
      help:
        "Between a document's consecutive write transactions, commit to commit, as its writer saw them (a writer's " +
        "first from the previous writer's release), by the later one's kind; buckets in COLLAB_APPEND_WINDOW_MS: le " +
        'equal to it counts the pairs one window or less apart',
      labelNames: ['kind'],
      buckets: GAP_BUCKETS_IN_WINDOWS.map((windows) => windows * windowSeconds),
      registers: [registry],
    });
  }

  /** A document's write transaction committed, for `kind`. */
  wrote(kind: WriteKind): void {
    this.writeTransactions.inc({ kind });
  }

  /** A document's write transaction of `kind` committed `sinceLastMs` after its previous one. */
  wroteAfter(kind: WriteKind, sinceLastMs: number): void {
    this.writeGap.observe({ kind }, Math.max(0, sinceLastMs) / 1000);
  }

  /** An edit's frame is with the kernel for every socket of its document on this instance, `ms` after it was handled. */
  fannedOut(path: FanOutPath, ms: number): void {
    this.fanOut.observe({ path }, Math.max(0, ms) / 1000);
  }

  /** An edit of another instance read from Redis `ms` after its PUBLISH. */
  relayTransit(ms: number): void {
    this.transit.observe(Math.max(0, ms) / 1000);
  }

  stored(bytes: number): void {
    this.updates.inc();
    this.updateBytes.inc(bytes);
  }

  compactionFailed(): void {
    this.failedCompactions.inc();
  }

  missingEditsRequested(): void {
    this.missingRequests.inc();
  }

  catchUpRequested(): void {
    this.catchUpRequests.inc();
  }

  /** Registers the gauges read from the gateway at each scrape (called once by the gateway). */
  watch(read: () => CollaborationStats): void {
    const gauges: Array<[string, string, (stats: CollaborationStats) => number]> = [
      ['documents_collab_sockets', 'Open /collab sockets on this instance', (stats) => stats.hub.connections],
      [
        'documents_collab_sockets_authenticated',
        '/collab sockets signed in on this instance (connected editors and viewers)',
        (stats) => stats.hub.authenticated,
      ],
      [
        'documents_collab_sockets_closed_slow',
        '/collab sockets closed since start for reading too slowly (they resync on reconnecting)',
        (stats) => stats.hub.closedSlow,
      ],
      [
        'documents_collab_open_documents',
        'Documents this instance holds a copy of',
        (stats) => stats.openDocuments,
      ],
      [
        'documents_collab_unfolded_updates_max',
        'Snapshot lag: the most updates stored and not yet folded into its snapshot, over the copies held here',
        (stats) => stats.maxUnfoldedUpdates,
      ],
    ];
    for (const [name, help, pick] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(pick(read()));
        },
      });
    }
  }
}
