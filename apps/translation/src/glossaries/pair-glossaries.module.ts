import { Module } from '@nestjs/common';
import { PairGlossaries } from './pair-glossaries.js';

/** The cached glossary of each language pair: read by the Translator, invalidated by the glossary service. */
@Module({
  providers: [PairGlossaries],
  exports: [PairGlossaries],
})
export class PairGlossariesModule {}
