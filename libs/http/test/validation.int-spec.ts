import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import { ApiErrorFilter, createValidationPipe, uuidParam } from '../src/index.js';

class SeatDto {
  @IsInt()
  @Min(1)
  row!: number;
}

class BookingDto {
  @IsString()
  @MinLength(2)
  name!: string;

  @ValidateNested()
  @Type(() => SeatDto)
  seat!: SeatDto;
}

@Controller('events')
class BookingController {
  @Post(':id/bookings')
  book(@Param('id', uuidParam('id')) id: string, @Body() booking: BookingDto): { id: string; row: number } {
    return { id, row: booking.seat.row };
  }
}

@Module({
  controllers: [BookingController],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useValue: new ApiErrorFilter() },
  ],
})
class BookingModule {}

const EVENT = '3f0c9a52-7d3b-4c9e-9a1e-2b6f0f1f2a10';

describe('validation through a real Nest Fastify app', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(BookingModule, new FastifyAdapter(), {
      bufferLogs: true,
      abortOnError: false,
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  function post(path: string, body: string): Promise<Response> {
    return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }

  it('answers a bad body with 400 and one detail per failed constraint, nested fields by dotted path', async () => {
    const response = await post(
      `/events/${EVENT}/bookings`,
      JSON.stringify({ name: 'A', seat: { row: 0 }, vip: true }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'vip: should not exist; name: must be longer than or equal to 2 characters; seat.row: must not be less than 1',
      details: [
        { field: 'vip', message: 'should not exist' },
        { field: 'name', message: 'must be longer than or equal to 2 characters' },
        { field: 'seat.row', message: 'must not be less than 1' },
      ],
    });
  });

  it('transforms a valid body and answers a malformed id and malformed JSON in the same shape', async () => {
    const ok = await post(`/events/${EVENT}/bookings`, JSON.stringify({ name: 'Ann', seat: { row: 3 } }));
    expect(await ok.json()).toEqual({ id: EVENT, row: 3 });

    const badId = await post('/events/nope/bookings', JSON.stringify({ name: 'Ann', seat: { row: 3 } }));
    expect(badId.status).toBe(400);
    expect(await badId.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'id: must be a UUID',
      details: [{ field: 'id', message: 'must be a UUID' }],
    });

    const badJson = await post(`/events/${EVENT}/bookings`, '{"name":');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [] });
  });
});
