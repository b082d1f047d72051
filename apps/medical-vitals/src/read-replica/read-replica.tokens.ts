/** pg pool on the read replica (the primary when no replica is configured): dashboard reads. */
export const READER_POOL = Symbol('READER_POOL');
/** A small pool on the replica with a long statement timeout: report cursors. */
export const REPORTS_POOL = Symbol('REPORTS_POOL');
