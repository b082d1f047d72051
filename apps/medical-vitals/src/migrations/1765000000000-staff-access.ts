import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts, their ward assignments and the audit log. The audit log is append-only in the
 * database itself: a trigger refuses UPDATE, DELETE and TRUNCATE, so no code path (or SQL console using
 * the app's role) can rewrite who read or changed what.
 */
export class StaffAccess1765000000000 implements MigrationInterface {
  name = 'StaffAccess1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hospital_id uuid NOT NULL,
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('nurse', 'ward_admin', 'device_technician', 'hospital_admin')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE staff_wards (
        staff_id uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        ward_id uuid NOT NULL REFERENCES wards (id),
        PRIMARY KEY (staff_id, ward_id)
      )`);
    await runner.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        staff_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        patient_id uuid,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query('CREATE INDEX audit_log_hospital_id_idx ON audit_log (hospital_id, id DESC)');
    await runner.query('CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, id DESC)');
    await runner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await runner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS audit_log');
    await runner.query('DROP FUNCTION IF EXISTS audit_log_append_only');
    await runner.query('DROP TABLE IF EXISTS staff_wards');
    await runner.query('DROP TABLE IF EXISTS staff');
  }
}
