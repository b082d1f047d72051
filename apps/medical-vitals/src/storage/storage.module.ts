import { Module } from '@nestjs/common';
import { LatestVitalsModule } from '../latest-vitals/latest-vitals.module.js';
import { StoredStreamPublisher } from './stored-stream.publisher.js';
import { VitalsWriter } from './vitals-writer.service.js';

@Module({
  imports: [LatestVitalsModule],
  providers: [VitalsWriter, StoredStreamPublisher],
  exports: [VitalsWriter],
})
export class StorageModule {}
