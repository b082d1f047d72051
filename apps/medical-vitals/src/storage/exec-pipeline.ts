import type { ChainableCommander } from 'ioredis';

/**
 * Runs a pipeline and throws the first command error: `exec()` itself resolves even when commands in it
 * failed, and a batch whose cache or stream write failed must not be acked.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
