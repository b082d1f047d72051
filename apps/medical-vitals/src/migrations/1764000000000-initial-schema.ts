import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry, the partitioned vitals table and the alert tables. vital_data has no surrogate key: a
 * reading is identified by (patient_id, device_id, recorded_at), so a resend hits ON CONFLICT DO NOTHING
 * and the shard key (patient_id) leads the primary key. Partitions come from @remedy/partitioning.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE wards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hospital_id uuid NOT NULL,
        name text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hospital_id uuid NOT NULL,
        ward_id uuid REFERENCES wards (id),
        name text,
        mrn text UNIQUE,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discharged')),
        admitted_at timestamptz NOT NULL DEFAULT now(),
        discharged_at timestamptz
      )`);
    await runner.query('CREATE INDEX patients_ward_status_idx ON patients (ward_id, status)');
    await runner.query(`
      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid REFERENCES patients (id),
        serial text NOT NULL UNIQUE,
        token_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        last_seen_at timestamptz
      )`);
    await runner.query('CREATE INDEX devices_patient_idx ON devices (patient_id)');
    await runner.query(`
      CREATE TABLE vital_data (
        patient_id uuid NOT NULL,
        device_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        seq bigint NOT NULL,
        heart_rate smallint,
        spo2 smallint,
        systolic smallint,
        diastolic smallint,
        temperature numeric(4, 1),
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (patient_id, device_id, recorded_at)
      ) PARTITION BY RANGE (recorded_at)`);
    await runner.query(`
      CREATE TABLE alert_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid REFERENCES patients (id),
        ward_id uuid REFERENCES wards (id),
        metric text NOT NULL CHECK (metric IN ('heart_rate', 'spo2', 'systolic', 'diastolic', 'temperature')),
        min numeric,
        max numeric,
        enabled boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (num_nonnulls(patient_id, ward_id) = 1),
        CHECK (min IS NOT NULL OR max IS NOT NULL),
        CHECK (min IS NULL OR max IS NULL OR min <= max)
      )`);
    await runner.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        patient_id uuid NOT NULL REFERENCES patients (id),
        ward_id uuid,
        metric text NOT NULL,
        value numeric NOT NULL,
        threshold numeric NOT NULL,
        raised_at timestamptz NOT NULL,
        cleared_at timestamptz
      )`);
    // One open episode per rule and patient: a second "raise" while one is open is a no-op.
    await runner.query(
      'CREATE UNIQUE INDEX alerts_open_episode_uq ON alerts (rule_id, patient_id) WHERE cleared_at IS NULL',
    );
    await runner.query('CREATE INDEX alerts_patient_raised_idx ON alerts (patient_id, raised_at DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS alerts');
    await runner.query('DROP TABLE IF EXISTS alert_rules');
    await runner.query('DROP TABLE IF EXISTS vital_data CASCADE');
    await runner.query('DROP TABLE IF EXISTS devices');
    await runner.query('DROP TABLE IF EXISTS patients');
    await runner.query('DROP TABLE IF EXISTS wards');
  }
}
