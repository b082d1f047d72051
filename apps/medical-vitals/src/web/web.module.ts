import { Module } from '@nestjs/common';
import { WardPageController } from './ward-page.controller.js';

@Module({ controllers: [WardPageController] })
export class WebModule {}
