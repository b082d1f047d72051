import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeviceStatus = 'active' | 'retired';

@Entity({ name: 'devices' })
export class Device {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'patient_id', type: 'uuid', nullable: true }) patientId!: string | null;
  @Column({ type: 'text' }) serial!: string;
  /** sha256 of the device token; the token itself is shown once, at registration. */
  @Column({ name: 'token_hash', type: 'text', select: false }) tokenHash!: string;
  @Column({ type: 'text' }) status!: DeviceStatus;
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true }) lastSeenAt!: Date | null;
}
