import { total } from '@remedy/testing';

/** Why the writers committed (ADR 0097): the kinds of `documents_collab_write_transactions_total`. */
const KINDS = ['window', 'text', 'takeover', 'drain'] as const;

/**
 * One document's write transactions as its writers counted them where each committed, summed over the API
 * instances' /metrics (the bench's one document is every instance's only one): by kind, in all, and how close
 * together they came, from the gap histogram (commit to commit; a writer's first timed from the previous writer's
 * release). Its bucket at one window counts every pair a window or less apart: none, and no span of a window
 * holds two of the document's write transactions.
 */
export interface WriterTransactions {
  byKind: Record<(typeof KINDS)[number], number>;
  total: number;
  gapsTimed: number;
  /** Pairs of consecutive write transactions a window or less apart, by the later one's kind. */
  gapsOfAWindowOrLess: Record<string, number>;
  /** The most write transactions in any span of a window: 1 when no gap is a window or less, else 2 up to one more than those gaps. */
  mostInAWindow: string;
}

export function writerTransactions(expositions: readonly string[], windowMs: number): WriterTransactions {
  const sum = (name: string, where: (labels: Record<string, string>) => boolean): number =>
    expositions.reduce((all, exposition) => all + total(exposition, name, where), 0);
  const byKind = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      sum('documents_collab_write_transactions_total', (labels) => labels['kind'] === kind),
    ]),
  ) as WriterTransactions['byKind'];
  const gapsOfAWindowOrLess = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      sum(
        'documents_collab_write_gap_seconds_bucket',
        (labels) => labels['kind'] === kind && Number(labels['le']) === windowMs / 1000,
      ),
    ]),
  );
  const close = Object.values(gapsOfAWindowOrLess).reduce((all, count) => all + count, 0);
  return {
    byKind,
    total: Object.values(byKind).reduce((all, count) => all + count, 0),
    gapsTimed: sum('documents_collab_write_gap_seconds_count', () => true),
    gapsOfAWindowOrLess,
    mostInAWindow: close === 0 ? '1' : close === 1 ? '2' : `2 to ${close + 1}`,
  };
}
