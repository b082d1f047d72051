import { Module } from '@nestjs/common';
import { LatestVitalsModule } from '../latest-vitals/latest-vitals.module.js';
import { ReadReplicaModule } from '../read-replica/read-replica.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { DashboardQueries } from './dashboard-queries.service.js';
import { DashboardsController } from './dashboards.controller.js';
import { DashboardTokenController } from './live/dashboard-token.controller.js';
import { DashboardTokens } from './live/dashboard-token.service.js';
import { createLiveHub, LIVE_HUB_FACTORY } from './live/live-hub.js';
import { LiveGateway } from './live/live.gateway.js';
import { LiveMetrics } from './live/live-metrics.service.js';
import { VitalsPushService } from './live/vitals-push.service.js';

/**
 * The read side: dashboard REST on the reader pool, the /live WebSocket, and the push of committed batches
 * (handed over by the writer) and alert events to its rooms.
 */
@Module({
  imports: [ReadReplicaModule, LatestVitalsModule, StorageModule],
  controllers: [DashboardsController, DashboardTokenController],
  providers: [
    DashboardQueries,
    DashboardTokens,
    { provide: LIVE_HUB_FACTORY, useValue: createLiveHub },
    LiveGateway,
    VitalsPushService,
    LiveMetrics,
  ],
  exports: [DashboardQueries, DashboardTokens, LiveGateway],
})
export class DashboardsModule {}
