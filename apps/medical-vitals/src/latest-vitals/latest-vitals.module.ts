import { Module } from '@nestjs/common';
import { LatestVitalsService } from './latest-vitals.service.js';

@Module({ providers: [LatestVitalsService], exports: [LatestVitalsService] })
export class LatestVitalsModule {}
