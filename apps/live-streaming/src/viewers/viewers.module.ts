import { Module } from '@nestjs/common';
import { ViewerCounter } from './viewer-counter.js';
import { ViewersController } from './viewers.controller.js';

@Module({
  controllers: [ViewersController],
  providers: [ViewerCounter],
  exports: [ViewerCounter],
})
export class ViewersModule {}
