import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'wards' })
export class Ward {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'hospital_id', type: 'uuid' }) hospitalId!: string;
  @Column({ type: 'text' }) name!: string;
}
