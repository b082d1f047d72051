import { Module } from '@nestjs/common';
import { PageKitController } from '@remedy/http';
import { EditorPageController } from './editor-page.controller.js';

/** The browser page co-editors use: sign in, find a document (list, search), edit it together. */
@Module({ controllers: [EditorPageController, PageKitController] })
export class EditorPageModule {}
