/**
 * vitals:V-02, the original design: "no index strategy defined". The flawed schema is the review's vital_data
 * with its BIGSERIAL key and nothing else (katas/v-01-bigserial-key.flawed.ts BIGSERIAL_VITAL_DATA_SQL), so
 * "latest vitals of a patient" reads the whole table.
 *
 * A close cousin put back into the remediated schema: the partitions stay, the key goes, and the only index
 * is the one a first fix usually adds, on the time column. Time-bounded queries find their rows by time and
 * then filter every patient's readings of that time for the one they want.
 */
export const TIME_INDEX_ONLY_SQL = `
ALTER TABLE vital_data DROP CONSTRAINT vital_data_pkey;
CREATE INDEX vital_data_recorded_at_idx ON vital_data (recorded_at)`;
