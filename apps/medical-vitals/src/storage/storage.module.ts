import { Module } from '@nestjs/common';
import { LatestVitalsModule } from '../latest-vitals/latest-vitals.module.js';
import { StoredBatchListeners } from './stored-batch-listeners.js';
import { StoredStreamPublisher } from './stored-stream.publisher.js';
import { VitalsWriter } from './vitals-writer.service.js';

@Module({
  imports: [LatestVitalsModule],
  providers: [VitalsWriter, StoredStreamPublisher, StoredBatchListeners],
  exports: [VitalsWriter, StoredBatchListeners],
})
export class StorageModule {}
