import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** A real Nest application on Fastify, listening on a free loopback port. */
export async function startApp(module: Type | DynamicModule): Promise<RunningApp> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { app, url, close: () => app.close() };
}
