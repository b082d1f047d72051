import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { SurveysController } from './surveys.controller.js';
import { SurveysService } from './surveys.service.js';

@Module({
  imports: [StatsModule],
  controllers: [SurveysController],
  providers: [SurveysService],
})
export class SurveysModule {}
