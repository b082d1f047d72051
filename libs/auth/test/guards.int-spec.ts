import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { useTestContext } from '@remedy/testing';
import {
  AccessTokenGuard,
  AuthModule,
  CurrentUser,
  PgRefreshTokenStore,
  Roles,
  RolesGuard,
  TokenService,
  type AuthenticatedUser,
} from '../src/index.js';
import { authHarness } from './support/auth-harness.js';

const ctx = useTestContext(authHarness);

@Controller()
@UseGuards(AccessTokenGuard, RolesGuard)
class ProbeController {
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Get('organiser-only')
  @Roles('organiser')
  organiserOnly(@CurrentUser() user: AuthenticatedUser): { ok: string } {
    return { ok: user.id };
  }
}

describe('guards over HTTP', () => {
  let app: NestFastifyApplication;
  let url: string;
  let tokens: TokenService;

  beforeAll(async () => {
    @Module({
      imports: [
        AuthModule.forRoot({
          accessTokenSecret: 'guard-secret-guard-secret-guard-secret',
          issuer: 'remedy-test',
          audience: 'remedy-api',
          refreshTokenStore: new PgRefreshTokenStore(ctx.pool),
        }),
      ],
      controllers: [ProbeController],
    })
    class ProbeModule {}
    app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    tokens = app.get(TokenService);
  });

  afterAll(async () => {
    await app.close();
  });

  const get = async (
    path: string,
    token?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('no token: 401 with a reason', async () => {
    expect(await get('/me')).toEqual({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'missing bearer access token' },
    });
  });

  test('a bad token: 401', async () => {
    const { status, body } = await get('/me', 'x.y.z');
    expect(status).toBe(401);
    expect(body['message']).toBe('access token is malformed');
  });

  test('a valid token reaches the handler with the user', async () => {
    const session = await tokens.startSession({ id: 'u-1', role: 'attendee' });
    expect(await get('/me', session.accessToken)).toEqual({
      status: 200,
      body: { id: 'u-1', role: 'attendee' },
    });
  });

  test('the wrong role: 403; the right role: 200', async () => {
    const attendee = await tokens.startSession({ id: 'u-1', role: 'attendee' });
    const denied = await get('/organiser-only', attendee.accessToken);
    expect(denied.status).toBe(403);
    expect(denied.body['message']).toBe('requires role organiser, you are attendee');
    const organiser = await tokens.startSession({ id: 'u-2', role: 'organiser' });
    expect(await get('/organiser-only', organiser.accessToken)).toEqual({ status: 200, body: { ok: 'u-2' } });
  });
});
