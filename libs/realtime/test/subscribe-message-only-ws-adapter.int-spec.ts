import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
} from '@nestjs/websockets';
import { waitUntil } from '@remedy/testing';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { SubscribeMessageOnlyWsAdapter } from '../src/index.js';

/** Reads its sockets itself, as an ingest gateway does: no @SubscribeMessage handler. */
@WebSocketGateway({ path: '/own' })
class OwnMessagesGateway implements OnGatewayConnection {
  static received = 0;
  handleConnection(socket: WebSocket): void {
    socket.on('message', () => (OwnMessagesGateway.received += 1));
  }
}

@WebSocketGateway({ path: '/routed' })
class RoutedGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): { event: string; data: unknown } {
    return { event: 'echo', data };
  }
}

@Module({ providers: [OwnMessagesGateway, RoutedGateway] })
class GatewaysModule {}

let app: NestFastifyApplication;
let url: string;
let parsed = 0;

beforeAll(async () => {
  app = await NestFactory.create<NestFastifyApplication>(GatewaysModule, new FastifyAdapter(), {
    logger: false,
  });
  app.useWebSocketAdapter(
    new SubscribeMessageOnlyWsAdapter(app, {
      // The stock parser, counted: each call is a frame Nest's routing parsed.
      messageParser: (data) => {
        parsed += 1;
        return JSON.parse((data as Buffer).toString('utf8')) as { event: string; data: unknown };
      },
    }),
  );
  await app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
});

async function open(path: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url}${path}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

test('a gateway without @SubscribeMessage handlers gets its messages without Nest parsing them', async () => {
  const socket = await open('/own');
  for (let i = 0; i < 5; i += 1) socket.send(JSON.stringify({ type: 'reading', seq: i }));
  await waitUntil('the gateway to receive 5 messages', () => OwnMessagesGateway.received === 5);
  socket.close();
  // Before (WsAdapter): 5, every frame parsed once more for a handler that does not exist.
  expect(parsed).toBe(0);
});

test('a gateway with handlers is routed as before', async () => {
  const parsedBefore = parsed;
  const socket = await open('/routed');
  const reply = new Promise<unknown>((resolve) =>
    socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))),
  );
  socket.send(JSON.stringify({ event: 'echo', data: { value: 7 } }));
  await expect(reply).resolves.toEqual({ event: 'echo', data: { value: 7 } });
  socket.close();
  expect(parsed - parsedBefore).toBe(1);
});
