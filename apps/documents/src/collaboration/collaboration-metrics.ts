import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { RealtimeHubStats } from '@remedy/realtime';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What the /collab gateway holds at a scrape: its hub's sockets and its copies of documents. */
export interface CollaborationStats {
  hub: RealtimeHubStats;
  /** Documents this instance holds a copy of (one of its sockets has each open). */
  openDocuments: number;
  /** Of those copies, the most updates stored but not folded into the document's snapshot yet. */
  maxUnfoldedUpdates: number;
}

/**
 * /collab's metrics (the documents dashboard and alert rules read them): stored updates and their bytes as
 * counters (updates per second, bytes per update), compactions that failed, and gauges read from the gateway
 * at scrape time — sockets, editors' copies, and the snapshot lag (updates a load must replay after the snapshot).
 */
@Injectable()
export class CollaborationMetrics {
  private readonly updates: Counter;
  private readonly updateBytes: Counter;
  private readonly failedCompactions: Counter;

  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {
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
  }

  stored(bytes: number): void {
    this.updates.inc();
    this.updateBytes.inc(bytes);
  }

  compactionFailed(): void {
    this.failedCompactions.inc();
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
