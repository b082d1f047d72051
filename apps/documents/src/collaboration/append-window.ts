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
 * Group commit of one document's updates by its writer (ADR 0084, ADR 0086): the updates that arrive within a window
 * are merged (Y.mergeUpdates) and stored in one write, then each is acknowledged. A window opens with its first
 * update and is written `windowMs` later, or as soon as it holds `maxBytes`; one write of the document is in
 * flight at a time, and what arrives meanwhile waits for the next window. A failed write acknowledges nothing:
 * `onFailed` decides what becomes of the updates (they are in the instance's copy and with their senders).
 */
export class AppendWindow {
  private held: HeldUpdates = { updates: [], bytes: 0, stored: [] };
  /** Something rides with the next write even if no update comes (the search text): it opens a window. */
  private carrying = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private discarded = false;

  constructor(
    /** Stores a window: its merged update, or null when the window holds only what `carry` asked for. */
    private readonly store: (update: Uint8Array | null) => Promise<void>,
    private readonly settings: AppendWindowSettings,
    private readonly onFailed: (error: unknown) => void,
    /** After a window's `stored` callbacks ran: the writer announces what is stored now (ADR 0086). */
    private readonly afterStored: () => void,
  ) {}

  /** Holds `update` for the window's write; `stored` runs once that write committed (never, if it fails). */
  add(update: Uint8Array, stored: () => void): void {
    if (this.discarded) return;
    this.held.updates.push(update);
    this.held.bytes += update.byteLength;
    this.held.stored.push(stored);
    if (this.held.bytes >= this.settings.maxBytes) void this.flush();
    else this.schedule();
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

  /** Writes what is held now (shutdown, a full window) and resolves once every write started so far settled. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing !== null) await this.writing;
    if ((this.held.updates.length === 0 && !this.carrying) || this.discarded) return;
    const window = this.held;
    this.held = { updates: [], bytes: 0, stored: [] };
    this.carrying = false;
    const merged =
      window.updates.length === 0
        ? null
        : window.updates.length === 1
          ? window.updates[0]!
          : Y.mergeUpdates(window.updates);
    const writing = this.store(merged).then(
      () => {
        for (const stored of window.stored) stored();
        this.afterStored();
      },
      (error: unknown) => this.onFailed(error),
    );
    this.writing = writing;
    await writing;
    this.writing = null;
    if (this.held.updates.length > 0 || this.carrying) this.schedule();
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

  private schedule(): void {
    // A write in flight schedules the next window when it ends: one write of a document at a time.
    if (this.timer !== null || this.writing !== null) return;
    this.timer = setTimeout(() => void this.flush(), this.settings.windowMs);
  }
}
