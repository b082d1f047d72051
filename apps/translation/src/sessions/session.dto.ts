import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';
import { SESSION_STATUSES, type SessionStatus } from './session.js';

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ format: 'uuid' })
  organiserId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ example: 'ja' })
  sourceLanguage!: string;

  @ApiProperty({ enum: SESSION_STATUSES })
  status!: SessionStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;
}

export class SessionPageDto {
  @ApiProperty({ type: [SessionDto] })
  data!: SessionDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
