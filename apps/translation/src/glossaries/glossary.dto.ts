import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';
import { GlossaryTermDto } from './glossary-terms.dto.js';

class GlossaryFieldsDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ example: 'en' })
  sourceLanguage!: string;

  @ApiProperty({ example: 'ja' })
  targetLanguage!: string;

  @ApiProperty({ description: 'Goes up by one with every change of the terms.', example: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class GlossaryDto extends GlossaryFieldsDto {
  @ApiProperty({ type: [GlossaryTermDto] })
  terms!: GlossaryTermDto[];
}

export class GlossarySummaryDto extends GlossaryFieldsDto {
  @ApiProperty({ example: 12 })
  termCount!: number;
}

export class GlossaryPageDto {
  @ApiProperty({ type: [GlossarySummaryDto] })
  data!: GlossarySummaryDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
