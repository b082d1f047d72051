import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'fr' })
  language!: string;

  @ApiProperty({ format: 'date-time' })
  joinedAt!: string;
}

export class ParticipantPageDto {
  @ApiProperty({ type: [ParticipantDto] })
  data!: ParticipantDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}

export class SessionLanguageDto {
  @ApiProperty({ example: 'fr' })
  language!: string;

  @ApiProperty({ example: 12 })
  participants!: number;
}
