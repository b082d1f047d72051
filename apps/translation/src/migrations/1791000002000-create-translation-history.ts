import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Translation history (polyglot-a:C-1, polyglot-b:C-2): every translation the service makes, range-partitioned
 * by translated_at so a recent window reads only recent partitions and old days leave by detaching a partition
 * (no DELETE, no bloat). The partitions themselves come from @remedy/partitioning (history.policy.ts) after the
 * migrations run; the default partition catches a row whose day is not made yet.
 *   translation_history_session_idx  a session's history, newest first (keyset on translated_at, id)
 * The primary key carries translated_at because a partitioned table's unique keys must hold the partition key.
 */
export const TRANSLATION_HISTORY_SQL = `
CREATE TABLE translation_history (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL,
  session_id uuid,
  source_language text NOT NULL,
  target_language text NOT NULL,
  source_text text NOT NULL,
  translated_text text NOT NULL,
  engine text NOT NULL,
  translated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, translated_at)
) PARTITION BY RANGE (translated_at);

CREATE INDEX translation_history_session_idx
  ON translation_history (session_id, translated_at DESC, id DESC) WHERE session_id IS NOT NULL;
`;

export class CreateTranslationHistory1791000002000 implements MigrationInterface {
  name = 'CreateTranslationHistory1791000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TRANSLATION_HISTORY_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE translation_history');
  }
}
