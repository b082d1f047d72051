import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * polyglot-a:S-4, polyglot-b:C-3 — "the data model shows only primary keys and foreign key constraints, with no
 * explicit index definitions": participants and glossary terms are keyed by their own ids, and nothing indexes
 * a session's participants, an organisation's sessions or its glossary for a language pair. Applied after the
 * app's migrations, this turns the schema back into the review's; the proof then drives the same routes and reads
 * the plans of the statements the app ran.
 */
export class ReviewedSchemaWithoutIndexes1799999999999 implements MigrationInterface {
  name = 'ReviewedSchemaWithoutIndexes1799999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX users_organisation_created_idx, sessions_organisation_created_idx, sessions_organiser_created_idx,
                 participants_user_joined_idx;
      ALTER TABLE participants DROP CONSTRAINT participants_pkey, ADD COLUMN id bigserial PRIMARY KEY;
      ALTER TABLE glossaries DROP CONSTRAINT glossaries_pair_key;
      ALTER TABLE glossary_terms DROP CONSTRAINT glossary_terms_pkey, ADD COLUMN id bigserial PRIMARY KEY;
    `);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}

/* Close cousin, put back into the remediated schema: the glossary pair key alone is missing. */
export class WithoutGlossaryPairKey1799999999999 implements MigrationInterface {
  name = 'WithoutGlossaryPairKey1799999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE glossaries DROP CONSTRAINT glossaries_pair_key');
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}
