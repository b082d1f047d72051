import { statementKind } from '@remedy/observability';
import { queryEvents } from '@remedy/pooling';
import { samples } from '@remedy/testing';

/** Statements of a window, split the way the small-sessions goal reads them. */
export interface StatementCounts {
  /** SELECTs (a CTE counts as its main statement). */
  reads: number;
  /** Of those, the ones reading participants: the per-message language lookups the goal wants gone once warm. */
  participantReads: number;
  /** INSERT, UPDATE, DELETE. */
  writes: number;
  /** Anything else the pools ran (transaction control, SET …). */
  other: number;
}

const READS_PARTICIPANTS = /\bFROM participants\b/i;

export function noStatements(): StatementCounts {
  return { reads: 0, participantReads: 0, writes: 0, other: 0 };
}

/**
 * Counts the statements the pools of this process whose names start with `poolPrefix` finish while it is open:
 * the worker runs in the bench's process, so each statement is seen with its SQL (which tells a participant
 * lookup from the other reads). `stop()` ends the count and returns it.
 */
export function tallyStatementsOf(poolPrefix: string): { stop(): StatementCounts } {
  const counts = noStatements();
  const unsubscribe = queryEvents.subscribe((event) => {
    if (!event.pool.startsWith(poolPrefix)) return;
    const kind = statementKind(event.sql);
    if (kind === 'select') {
      counts.reads += 1;
      if (READS_PARTICIPANTS.test(event.sql)) counts.participantReads += 1;
    } else if (kind === 'other') counts.other += 1;
    else counts.writes += 1;
  });
  return {
    stop() {
      unsubscribe();
      return counts;
    },
  };
}

/**
 * An API instance's statements so far, from its own /metrics (db_query_duration_seconds_count by kind): the
 * instances are processes of their own, so the bench reads what each reports and subtracts two scrapes. The
 * metric has no SQL, so participantReads stays 0 here: the API reads participants only inside the message's
 * INSERT … SELECT (the author must be one), a write.
 */
export async function scrapeStatementsOf(url: string): Promise<StatementCounts> {
  const exposition = await (await fetch(`${url}/metrics`)).text();
  const counts = noStatements();
  for (const sample of samples(exposition, 'db_query_duration_seconds_count')) {
    const kind = sample.labels['kind'];
    if (kind === 'select') counts.reads += sample.value;
    else if (kind === 'other') counts.other += sample.value;
    else counts.writes += sample.value;
  }
  return counts;
}

/** `after − before`, field by field. */
export function statementsBetween(before: StatementCounts, after: StatementCounts): StatementCounts {
  return {
    reads: after.reads - before.reads,
    participantReads: after.participantReads - before.participantReads,
    writes: after.writes - before.writes,
    other: after.other - before.other,
  };
}

/** The sum of several processes' counts. */
export function sumStatements(counts: readonly StatementCounts[]): StatementCounts {
  return counts.reduce(
    (sum, each) => ({
      reads: sum.reads + each.reads,
      participantReads: sum.participantReads + each.participantReads,
      writes: sum.writes + each.writes,
      other: sum.other + each.other,
    }),
    noStatements(),
  );
}
