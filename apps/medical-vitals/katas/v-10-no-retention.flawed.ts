/**
 * vitals:V-10, the original design: "no retention policy", "no archival strategy", "no purging policy".
 * One table keeps every reading forever: there is no step that removes, archives or moves a row.
 */
export const KATA_V10_SQL = `
CREATE TABLE IF NOT EXISTS kata_v10_vital_data (
  data_id BIGSERIAL PRIMARY KEY,
  patient_id uuid NOT NULL,
  device_id uuid NOT NULL,
  timestamp timestamptz NOT NULL,
  heart_rate smallint
)`;

export const KATA_V10_TODAY_SQL = `
SELECT count(*) FROM kata_v10_vital_data
 WHERE timestamp >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND timestamp <= now()`;
