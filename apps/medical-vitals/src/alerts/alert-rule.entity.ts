import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const VITAL_METRICS = ['heart_rate', 'spo2', 'systolic', 'diastolic', 'temperature'] as const;
export type VitalMetric = (typeof VITAL_METRICS)[number];

const numeric = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

/** A threshold on one metric, for one patient or a whole ward; `version` grows on every change. */
@Entity({ name: 'alert_rules' })
export class AlertRule {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'patient_id', type: 'uuid', nullable: true }) patientId!: string | null;
  @Column({ name: 'ward_id', type: 'uuid', nullable: true }) wardId!: string | null;
  @Column({ type: 'text' }) metric!: VitalMetric;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) min!: number | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) max!: number | null;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
