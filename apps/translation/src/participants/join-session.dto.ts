import { ApiProperty } from '@nestjs/swagger';
import { IsLanguageCode, LANGUAGE_CODE_PATTERN } from '../languages/language-code.js';

export class JoinSessionDto {
  @ApiProperty({
    description: 'The language this participant reads and hears the session in.',
    example: 'fr',
    pattern: LANGUAGE_CODE_PATTERN.source,
  })
  @IsLanguageCode()
  language!: string;
}
