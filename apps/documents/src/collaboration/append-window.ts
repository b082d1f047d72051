import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';

/** How long a document's updates are gathered before they are stored in one write, and how many bytes at most. */
export interface AppendWindowSettings {
  windowMs: number;
  maxBytes: number;
}

interface HeldUpdates {
  updates: Uint8Array[];
  bytes: number;
  /** Called once the write holding the updates committed: each sender hears `saved` only then. */
  stored: Array<() => void>;
}

/**
 * Group commit of one document's updates by its writer (ADR 0084, ADR 0086), and the spacing of the document's
 * write transactions (ADR 0097): the updates that arrive within a window are merged (Y.mergeUpdates) and stored
 * in one write, then each is acknowledged. A window opens with its first update and is written `windowMs` later;
 * one write of the document is in flight at a time, and what arrives meanwhile waits for the next window. Every
 * write starts at least `windowMs` after the previous one committed: a full window (`maxBytes`) is written as
 * soon as that allows, and a write of the term's own (its takeover, `own`) counts as a window. So does a drain
 * (the copy dropped, the instance stopping): it writes what is held as soon as the spacing allows. A failed write
 * acknowledges nothing: `onFailed` decides what becomes of the updates (they are in the instance's copy and with
 * their senders).
 */
export class AppendWindow {
  private held: HeldUpdates = { updates: [], bytes: 0, stored: [] };
  /** Something rides with the next write even if no update comes (the search text): it opens a window. */
  private carrying = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (performance.now()): a full window may bring it forward. */
  private dueAt = 0;
  private writing: Promise<void> | null = null;
  private discarded = false;
  /** Drains under way: the drain, not the timer, decides when the next write starts. */
  private draining = 0;
  /** When the document's last write transaction committed (performance.now()), null while none is known. */
  private lastCommittedAt: number | null;

  constructor(
    /**
     * Stores a window: its merged update, or null when the window holds only what `carry` asked for; `draining`
     * when it is the copy's last. Resolves true once a transaction committed (false: there was nothing to write).
     */
    private readonly store: (update: Uint8Array | null, draining: boolean) => Promise<boolean>,
    private readonly settings: AppendWindowSettings,
    private readonly onFailed: (error: unknown) => void,
    /** After a window's `stored` callbacks ran: the writer announces what is stored now (ADR 0086). */
    private readonly afterStored: () => void,
    /** How long ago the document's previous writer last committed, when it said so (ADR 0097). */
    previousCommitAgoMs: number | null = null,
  ) {
    this.lastCommittedAt = previousCommitAgoMs === null ? null : performance.now() - previousCommitAgoMs;
  }

  /** Holds `update` for the window's write; `stored` runs once that write committed (never, if it fails). */
  add(update: Uint8Array, stored: () => void): void {
    if (this.discarded) return;
    this.held.updates.push(update);
    this.held.bytes += update.byteLength;
    this.held.stored.push(stored);
    this.schedule();
  }

  /**
   * The next write carries something of the caller's (it reads it when the write starts): the window being
   * gathered, or else a window of its own, written `windowMs` after it opens like any other, so that a
   * document's writes stay at least a window apart (ADR 0095).
   */
  carry(): void {
    if (this.discarded) return;
    this.carrying = true;
    this.schedule();
  }

  /**
   * A write of the term's own made outside the windows (its takeover): the next window waits for it and starts a
   * window after it commits, as after a window (ADR 0097).
   */
  own(write: Promise<unknown>): void {
    const writing = write.then(
      () => this.committed(),
      () => undefined,
    );
    this.writing = writing;
    void writing.then(() => {
      if (this.writing !== writing) return;
      this.writing = null;
      if (this.pending()) this.schedule();
    });
  }

  /**
   * The copy's last write (its last editor left, the instance stops): writes what is held as soon as the spacing
   * allows, a window after the last commit (at once if that has passed), so that even the last write keeps the
   * document's writes a window apart (ADR 0097). What is held stays held while it waits, and what arrives
   * meanwhile joins it. Resolves once that write, and every write started before it, settled.
   */
  async drain(): Promise<void> {
    this.draining += 1;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      for (;;) {
        while (this.writing !== null) await this.writing;
        if (!this.pending() || this.discarded) return;
        const wait = this.spacedAt() - performance.now();
        if (wait <= 0) return await this.flush(true);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } finally {
      this.draining -= 1;
      // What arrived during the drain's write waits for a window like any other.
      if (this.pending()) this.schedule();
    }
  }

  /** True while updates wait for a write not started yet: something due now can ride in that write. */
  holding(): boolean {
    return this.held.updates.length > 0;
  }

  /** Forgets what is held, unacknowledged, and takes no more (the copy these updates went into is dropped). */
  discard(): void {
    this.discarded = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.held = { updates: [], bytes: 0, stored: [] };
    this.carrying = false;
  }

  private async flush(draining: boolean): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing !== null) await this.writing;
    if (!this.pending() || this.discarded) return;
    const window = this.held;
    this.held = { updates: [], bytes: 0, stored: [] };
    this.carrying = false;
    const merged =
      window.updates.length === 0
        ? null
        : window.updates.length === 1
          ? window.updates[0]!
          : Y.mergeUpdates(window.updates);
    const writing = this.store(merged, draining).then(
      (wrote) => {
        if (wrote) this.committed();
        for (const stored of window.stored) stored();
        this.afterStored();
      },
      (error: unknown) => this.onFailed(error),
    );
    this.writing = writing;
    await writing;
    this.writing = null;
    if (this.pending()) this.schedule();
  }

  private pending(): boolean {
    return this.held.updates.length > 0 || this.carrying;
  }

  private committed(): void {
    this.lastCommittedAt = performance.now();
  }

  /** The earliest a write may start: a window after the last commit (now, when none is known). */
  private spacedAt(): number {
    return this.lastCommittedAt === null ? performance.now() : this.lastCommittedAt + this.settings.windowMs;
  }

  /**
   * A window is written `windowMs` after it opens; a full one as soon as the spacing allows, `windowMs` after the
   * last commit. Either way never sooner than that: one write transaction per document per window.
   */
  private schedule(): void {
    // A write in flight schedules the next window when it ends: one write of a document at a time.
    if (this.writing !== null || this.discarded || this.draining > 0) return;
    const now = performance.now();
    const spaced = this.spacedAt();
    const dueAt =
      this.held.bytes >= this.settings.maxBytes
        ? Math.max(now, spaced)
        : Math.max(now + this.settings.windowMs, spaced);
    if (this.timer !== null) {
      if (dueAt >= this.dueAt) return;
      clearTimeout(this.timer);
    }
    this.dueAt = dueAt;
    this.timer = setTimeout(() => void this.flush(false), dueAt - now);
  }
}
