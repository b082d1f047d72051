import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export class DocumentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ format: 'uuid', description: 'The user who created the document.' })
  ownerId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class DocumentPageDto {
  @ApiProperty({ type: [DocumentDto] })
  data!: DocumentDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
