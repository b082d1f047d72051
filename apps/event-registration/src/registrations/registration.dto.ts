import { ApiProperty } from '@nestjs/swagger';
import type { RegistrationRow } from './registration-row.js';
import { REGISTRATION_STATUSES, type RegistrationStatus } from './registration-status.js';

export class RegistrationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ enum: REGISTRATION_STATUSES })
  status!: RegistrationStatus;

  @ApiProperty({ description: 'Optimistic-lock version; bumped by every transition.' })
  version!: number;

  @ApiProperty()
  registeredAt!: string;

  @ApiProperty({ nullable: true, type: String })
  checkedInAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  cancelledAt!: string | null;

  static from(row: RegistrationRow): RegistrationDto {
    return {
      id: row.id,
      eventId: row.event_id,
      userId: row.user_id,
      status: row.status,
      version: row.version,
      registeredAt: row.registered_at.toISOString(),
      checkedInAt: row.checked_in_at?.toISOString() ?? null,
      cancelledAt: row.cancelled_at?.toISOString() ?? null,
    };
  }
}
