import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RECORD_HISTORY_SQL } from './history.sql.js';

export interface HistoryBatch {
  organisationId: string;
  sessionId?: string;
  /** The chat message the batch translates: the history row a participant's feedback links to. */
  messageId?: string;
  sourceLanguage: string;
  targetLanguage: string;
  entries: readonly { sourceText: string; translatedText: string; engine: string }[];
}

/**
 * Records what the translator answered (polyglot-a:C-1). One multi-row INSERT per batch, awaited: a
 * translation the caller saw is in the history when the answer leaves, and a failed write is an error rather
 * than a silently lost row.
 */
@Injectable()
export class TranslationHistory {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(batch: HistoryBatch): Promise<void> {
    if (batch.entries.length === 0) return;
    await this.dataSource.query(RECORD_HISTORY_SQL, [
      batch.organisationId,
      batch.sessionId ?? null,
      batch.sourceLanguage,
      batch.targetLanguage,
      batch.entries.map((entry) => entry.sourceText),
      batch.entries.map((entry) => entry.translatedText),
      batch.entries.map((entry) => entry.engine),
      batch.messageId ?? null,
    ]);
  }
}
