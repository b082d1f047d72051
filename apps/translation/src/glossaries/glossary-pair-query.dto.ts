import { ApiProperty } from '@nestjs/swagger';
import { IsLanguageCode, LANGUAGE_CODE_PATTERN } from '../languages/language-code.js';

export class GlossaryPairQueryDto {
  @ApiProperty({ example: 'en', pattern: LANGUAGE_CODE_PATTERN.source })
  @IsLanguageCode()
  sourceLanguage!: string;

  @ApiProperty({ example: 'ja', pattern: LANGUAGE_CODE_PATTERN.source })
  @IsLanguageCode()
  targetLanguage!: string;
}
