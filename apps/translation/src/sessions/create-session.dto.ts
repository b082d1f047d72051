import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsLanguageCode, LANGUAGE_CODE_EXAMPLE, LANGUAGE_CODE_PATTERN } from '../languages/language-code.js';

export class CreateSessionDto {
  @ApiProperty({ example: 'Opening keynote' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({
    description: 'The language the speakers talk in.',
    example: LANGUAGE_CODE_EXAMPLE,
    pattern: LANGUAGE_CODE_PATTERN.source,
  })
  @IsLanguageCode()
  sourceLanguage!: string;
}
