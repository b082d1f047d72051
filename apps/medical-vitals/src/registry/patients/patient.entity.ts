import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PatientStatus = 'active' | 'discharged';

@Entity({ name: 'patients' })
export class Patient {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'hospital_id', type: 'uuid' }) hospitalId!: string;
  @Column({ name: 'ward_id', type: 'uuid', nullable: true }) wardId!: string | null;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ type: 'text', nullable: true }) mrn!: string | null;
  @Column({ type: 'text' }) status!: PatientStatus;
  @Column({ name: 'admitted_at', type: 'timestamptz' }) admittedAt!: Date;
  @Column({ name: 'discharged_at', type: 'timestamptz', nullable: true }) dischargedAt!: Date | null;
}
