import { Module } from '@nestjs/common';
import { GlossariesController } from './glossaries.controller.js';
import { GlossariesService } from './glossaries.service.js';
import { PairGlossariesModule } from './pair-glossaries.module.js';

@Module({
  imports: [PairGlossariesModule],
  controllers: [GlossariesController],
  providers: [GlossariesService],
  exports: [GlossariesService],
})
export class GlossariesModule {}
