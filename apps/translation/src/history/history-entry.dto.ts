import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export class HistoryEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ example: 'en' })
  sourceLanguage!: string;

  @ApiProperty({ example: 'de' })
  targetLanguage!: string;

  @ApiProperty()
  sourceText!: string;

  @ApiProperty()
  translatedText!: string;

  @ApiProperty({ example: 'google-v3', description: "'cache', or the engine that translated it" })
  engine!: string;

  @ApiProperty({ format: 'date-time' })
  translatedAt!: string;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEntryDto] })
  data!: HistoryEntryDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
