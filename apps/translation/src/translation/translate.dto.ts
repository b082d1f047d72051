import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { CONTENT_KINDS, type ContentKind } from './cache/translation-cache.js';

/** BCP-47 as the providers take it: a primary language and optional script or region (en, pt-BR, sr-Latn). */
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

/** A batch of texts to translate from one language into another. */
export class TranslateDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 50, example: ['Welcome to the session'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 2_000, { each: true })
  texts!: string[];

  @ApiProperty({ example: 'en', pattern: LANGUAGE.source })
  @Matches(LANGUAGE)
  sourceLanguage!: string;

  @ApiProperty({ example: 'de', pattern: LANGUAGE.source })
  @Matches(LANGUAGE)
  targetLanguage!: string;

  @ApiProperty({ enum: CONTENT_KINDS, description: 'sets how long the translation is cached' })
  @IsIn(CONTENT_KINDS)
  kind!: ContentKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "the session the texts belong to: their translations join the session's history",
  })
  @IsOptional()
  @IsUUID()
  sessionId?: string;
}

export class TranslatedTextDto {
  @ApiProperty()
  text!: string;

  @ApiProperty({ example: 'google-v3', description: "'cache', or the engine that translated it" })
  source!: string;
}

export class TranslationsDto {
  @ApiProperty({ type: [TranslatedTextDto] })
  translations!: TranslatedTextDto[];
}
