import { Global, Module } from '@nestjs/common';
import { ReadThroughCache } from './read-through-cache.js';

@Global()
@Module({ providers: [ReadThroughCache], exports: [ReadThroughCache] })
export class CacheModule {}
