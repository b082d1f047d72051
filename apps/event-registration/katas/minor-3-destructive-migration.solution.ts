import type { QueryRunner } from 'typeorm';

/*
 * The same schema change as AddEventTimezone, made the one-step way a blue-green deploy cannot survive
 * (review, minor point 2: "ensure database migrations are backward-compatible (support N and N-1)"): the
 * new column is NOT NULL with no default, and `venue` is renamed in the same release. While the blue
 * (previous) release still serves traffic, its INSERTs omit the column and its queries name `venue`.
 */
export async function addTimezoneDestructively(queryRunner: QueryRunner): Promise<void> {
  // Expand only: a constant default lets the previous release's INSERTs omit the column, and `venue` keeps its
  // name until a later contract step, once no running release reads it.
  await queryRunner.query(`ALTER TABLE events ADD COLUMN timezone text NOT NULL DEFAULT 'UTC'`);
}
