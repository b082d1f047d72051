import { Module } from '@nestjs/common';
import { PageKitController } from '@remedy/http';
import { ViewerPageController } from './viewer-page.controller.js';

/** The browser page viewers use: live streams, a stream's chat and viewer count. */
@Module({ controllers: [ViewerPageController, PageKitController] })
export class ViewerPageModule {}
