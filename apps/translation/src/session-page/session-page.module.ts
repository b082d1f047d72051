import { Module } from '@nestjs/common';
import { PageKitController } from '@remedy/http';
import { SessionPageController } from './session-page.controller.js';

/** The browser page participants use: sign in, join a session in a language, chat translated, see captions. */
@Module({ controllers: [SessionPageController, PageKitController] })
export class SessionPageModule {}
