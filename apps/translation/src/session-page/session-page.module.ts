import { Module } from '@nestjs/common';
import { SessionPageController } from './session-page.controller.js';

/** The browser page participants use: sign in, join a session in a language, chat translated, see captions. */
@Module({ controllers: [SessionPageController] })
export class SessionPageModule {}
