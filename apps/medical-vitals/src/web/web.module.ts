import { Module } from '@nestjs/common';
import { WARD_PAGE_SCRIPT, WardPageController, wardPageScript } from './ward-page.controller.js';

@Module({
  controllers: [WardPageController],
  providers: [{ provide: WARD_PAGE_SCRIPT, useFactory: wardPageScript }],
})
export class WebModule {}
