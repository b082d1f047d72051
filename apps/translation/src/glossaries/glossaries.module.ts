import { Module } from '@nestjs/common';
import { GlossariesController } from './glossaries.controller.js';
import { GlossariesService } from './glossaries.service.js';

@Module({ controllers: [GlossariesController], providers: [GlossariesService], exports: [GlossariesService] })
export class GlossariesModule {}
