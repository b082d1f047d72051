/** When a document's co-edited text is saved: after `debounceMs` without an edit, or `maxWaitMs` after the first. */
export interface TextSaveTiming {
  debounceMs: number;
  maxWaitMs: number;
}

interface PendingSave {
  timer: NodeJS.Timeout;
  firstEditAt: number;
  read: () => string;
}

/**
 * Saves each co-edited document's text (its search body) a moment after its edits stop, not on every
 * keystroke: a burst of typing is one change for the index, and a document edited without pause is still
 * saved every `maxWaitMs`. Saves of one document run one after another, each reading the text when it runs,
 * so a slow save is never overtaken by an older text.
 */
export class CoEditedTextSaver {
  private readonly pending = new Map<string, PendingSave>();
  private readonly saving = new Map<string, Promise<void>>();

  constructor(
    /** `now`: the instance stops, the save may not wait for a window. */
    private readonly save: (documentId: string, text: string, now: boolean) => Promise<void>,
    private readonly timing: TextSaveTiming,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** An edit of the document was stored: its text (read later by `read`) is due for saving. */
  edited(documentId: string, read: () => string): void {
    const known = this.pending.get(documentId);
    if (known !== undefined) clearTimeout(known.timer);
    const firstEditAt = known?.firstEditAt ?? Date.now();
    const delay = Math.min(this.timing.debounceMs, firstEditAt + this.timing.maxWaitMs - Date.now());
    const timer = setTimeout(() => void this.flush(documentId, false), Math.max(0, delay));
    this.pending.set(documentId, { timer, firstEditAt, read });
  }

  /**
   * Takes the document's pending save away from the timers: true when a save was pending. The caller saves the
   * text in a write of its own making (the copy's last, when it is dropped: ADR 0097).
   */
  takeDue(documentId: string): boolean {
    const due = this.pending.get(documentId);
    if (due === undefined) return false;
    clearTimeout(due.timer);
    this.pending.delete(documentId);
    return true;
  }

  /** Saves every pending text now and waits for every save (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((documentId) => this.flush(documentId, true)));
    await Promise.all([...this.saving.values()]);
  }

  private flush(documentId: string, now: boolean): Promise<void> {
    const due = this.pending.get(documentId);
    if (due === undefined) return Promise.resolve();
    clearTimeout(due.timer);
    this.pending.delete(documentId);
    const previous = this.saving.get(documentId) ?? Promise.resolve();
    const next = previous.then(() => this.save(documentId, due.read(), now)).catch(this.onError);
    this.saving.set(documentId, next);
    void next.then(() => {
      if (this.saving.get(documentId) === next) this.saving.delete(documentId);
    });
    return next;
  }
}
