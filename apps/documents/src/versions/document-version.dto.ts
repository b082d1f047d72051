import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export class DocumentVersionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  documentId!: string;

  @ApiProperty({ example: 'Sent to the interpreters' })
  name!: string;

  @ApiProperty({ description: 'The first 200 characters of the text.' })
  preview!: string;

  @ApiProperty({ type: 'integer', description: 'The length of the text in characters.' })
  characters!: number;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The member who took the version (null once that user is deleted).',
  })
  createdBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class DocumentVersionDto extends DocumentVersionSummaryDto {
  @ApiProperty({ description: 'The co-edited text as it was when the version was taken.' })
  text!: string;
}

export class DocumentVersionPageDto {
  @ApiProperty({ type: [DocumentVersionSummaryDto] })
  data!: DocumentVersionSummaryDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}

export class DocumentRestoreDto {
  @ApiProperty({ format: 'uuid' })
  documentId!: string;

  @ApiProperty({
    description:
      'Whether an update was stored and sent to the editors (false: the text already was the version’s).',
  })
  changed!: boolean;

  @ApiProperty({
    type: DocumentVersionSummaryDto,
    description: 'The version whose text the document has now.',
  })
  restored!: DocumentVersionSummaryDto;

  @ApiProperty({
    type: DocumentVersionSummaryDto,
    nullable: true,
    description: 'The version saved of the text the restore replaced (null when nothing changed).',
  })
  beforeRestore!: DocumentVersionSummaryDto | null;
}
