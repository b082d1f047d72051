import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Tips (livestream:M3). A tip is keyed by its tipper and the client's idempotency key, so a retried
 * POST finds the tip it started instead of making a second one; the provider call carries a key derived from
 * the tip's id, so the provider charges it at most once however often it is retried. `pending` means the
 * outcome is not known yet (the provider timed out or failed): a retry with the same key asks again.
 *   tips_tipper_key_key        the idempotency look-up (unique)
 *   tips_stream_created_idx    a stream's tips, newest first; the FK to streams
 */
export class CreateTips1790000004000 implements MigrationInterface {
  name = 'CreateTips1790000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tips (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stream_id uuid NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
        streamer_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tipper_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        amount_cents integer NOT NULL CHECK (amount_cents > 0),
        currency text NOT NULL,
        idempotency_key text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'declined')),
        charge_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tips_tipper_key_key UNIQUE (tipper_id, idempotency_key),
        CONSTRAINT tips_not_self CHECK (tipper_id <> streamer_id),
        CONSTRAINT tips_succeeded_has_charge CHECK ((status = 'succeeded') = (charge_id IS NOT NULL))
      );
      CREATE INDEX tips_stream_created_idx ON tips (stream_id, created_at DESC, id DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tips');
  }
}
