import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AlertEvaluator } from './alert-evaluator.service.js';
import { AlertFeed } from './alert-feed.service.js';
import { AlertRulesController } from './alert-rules.controller.js';
import { AlertStore } from './alert-store.service.js';
import { RuleCache } from './rule-cache.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [AlertRulesController],
  providers: [RuleCache, AlertStore, AlertFeed, AlertEvaluator],
  exports: [RuleCache, AlertStore],
})
export class AlertsModule {}
