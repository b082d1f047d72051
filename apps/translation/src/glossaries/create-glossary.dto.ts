import { ApiProperty } from '@nestjs/swagger';
import { IsLanguageCode, LANGUAGE_CODE_PATTERN } from '../languages/language-code.js';
import { GlossaryTermsDto } from './glossary-terms.dto.js';

export class CreateGlossaryDto extends GlossaryTermsDto {
  @ApiProperty({ example: 'en', pattern: LANGUAGE_CODE_PATTERN.source })
  @IsLanguageCode()
  sourceLanguage!: string;

  @ApiProperty({ example: 'ja', pattern: LANGUAGE_CODE_PATTERN.source })
  @IsLanguageCode()
  targetLanguage!: string;
}
