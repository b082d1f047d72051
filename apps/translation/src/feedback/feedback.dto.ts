import { ApiProperty } from '@nestjs/swagger';

export class FeedbackDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ format: 'uuid' })
  messageId!: string;

  @ApiProperty({ format: 'uuid', description: 'the translation history row rated' })
  historyId!: string;

  @ApiProperty({ example: 'en' })
  sourceLanguage!: string;

  @ApiProperty({ example: 'de', description: 'your participant language: the translation you received' })
  targetLanguage!: string;

  @ApiProperty({ example: 'google-v3', description: "'cache', or the engine that translated it" })
  engine!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  rating!: number;

  @ApiProperty({ type: String, nullable: true })
  comment!: string | null;

  @ApiProperty({ format: 'date-time' })
  ratedAt!: string;
}

export class QualityGroupDto {
  @ApiProperty({ example: 'en' })
  sourceLanguage!: string;

  @ApiProperty({ example: 'de' })
  targetLanguage!: string;

  @ApiProperty({ example: 'google-v3' })
  engine!: string;

  @ApiProperty({ type: 'integer' })
  ratings!: number;

  @ApiProperty({ example: 4.25 })
  averageRating!: number;

  @ApiProperty({ type: 'integer', description: 'ratings of 1 or 2' })
  lowRatings!: number;
}

export class QualityReportDto {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [QualityGroupDto] })
  groups!: QualityGroupDto[];
}
