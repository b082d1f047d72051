/**
 * vitals:V-01 and V-02, the original design: "vital_data uses BIGSERIAL for data_id", "no index strategy
 * defined". Every insert draws from one sequence, the row's identity is that number rather than the reading
 * (a device that resends a reading after a lost ack gets a second row), and nothing but the surrogate key
 * is indexed. It replaces the migrated vital_data (the schema is the seam): the columns keep the service's
 * names (`recorded_at` for the review's `timestamp`, plus `seq`) so the service's own statements run on it.
 */
export const BIGSERIAL_VITAL_DATA_SQL = `
-- The reading is its own identity: (patient_id, device_id, recorded_at) is the primary key, so a resent reading
-- hits ON CONFLICT DO NOTHING instead of becoming a second row, and "latest of a patient" is a probe of that key.
-- Daily partitions (named as @remedy/partitioning names them) keep each probe to the recent days.
DROP TABLE vital_data CASCADE;
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
) PARTITION BY RANGE (recorded_at);
SET TIME ZONE 'UTC';
DO $$
DECLARE day date;
BEGIN
  FOR day IN
    SELECT generate_series(now()::date - 7, now()::date + 3, interval '1 day')::date
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF vital_data FOR VALUES FROM (%L) TO (%L)',
                   'vital_data_p' || to_char(day, 'YYYYMMDD'),
                   day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END $$`;

/**
 * A close cousin put back into the remediated schema: the daily partitions stay, but the key is a sequence
 * number plus the partition column (the form a partitioned table forces on a surrogate key).
 */
export const SURROGATE_KEY_ON_PARTITIONS_SQL = `
ALTER TABLE vital_data DROP CONSTRAINT vital_data_pkey;
ALTER TABLE vital_data ADD COLUMN data_id bigserial;
ALTER TABLE vital_data ADD PRIMARY KEY (data_id, recorded_at)`;
