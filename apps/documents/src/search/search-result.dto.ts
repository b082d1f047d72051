import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' })
  documentId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ description: 'Higher is better: weighted text rank plus title similarity.' })
  rank!: number;
}

export class SearchPageDto {
  @ApiProperty({ type: [SearchHitDto] })
  data!: SearchHitDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
