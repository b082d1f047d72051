import { Module, type DynamicModule } from '@nestjs/common';
import { coreImports } from './app.module.js';
import type { AppConfig } from './config.js';
import { LifecycleWorkerModule } from './lifecycle/lifecycle-worker.module.js';

/**
 * The worker process: partition maintenance (premake, retention to S3). The alert evaluator is not here: it
 * runs in the API process (ALERT_EVALUATOR_ENABLED), where the `alerts` consumer group spreads the stream over
 * every instance, so it scales with the API (ADR 0022).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [...(coreImports(config, 'medical-vitals-worker') ?? []), LifecycleWorkerModule],
    };
  }
}
