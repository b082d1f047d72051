import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import { MAX_GLOSSARY_TERMS, MAX_TERM_LENGTH } from './glossaries.policy.js';

export class GlossaryTermDto {
  @ApiProperty({ example: 'keynote', maxLength: MAX_TERM_LENGTH })
  @IsString()
  @Length(1, MAX_TERM_LENGTH)
  source!: string;

  @ApiProperty({ example: '基調講演', maxLength: MAX_TERM_LENGTH })
  @IsString()
  @Length(1, MAX_TERM_LENGTH)
  target!: string;
}

/** The whole term list of a glossary; each source term once. */
export class GlossaryTermsDto {
  @ApiProperty({ type: [GlossaryTermDto], maxItems: MAX_GLOSSARY_TERMS })
  @IsArray()
  @ArrayMaxSize(MAX_GLOSSARY_TERMS)
  @ValidateNested({ each: true })
  @Type(() => GlossaryTermDto)
  @ArrayUnique((term: GlossaryTermDto) => term?.source, { message: 'terms must not repeat a source term' })
  terms!: GlossaryTermDto[];
}
