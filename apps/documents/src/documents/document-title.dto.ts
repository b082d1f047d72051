import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export const MAX_TITLE_LENGTH = 200;

/** The body of a create and of a rename: a title of 1 to 200 characters. */
export class DocumentTitleDto {
  @ApiProperty({ example: 'Interpreting brief, keynote', minLength: 1, maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @Length(1, MAX_TITLE_LENGTH)
  title!: string;
}
