import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { ApiErrorFilter, createHttpEdgeAdapter, createValidationPipe } from '../src/index.js';

class NoteDto {
  @IsString()
  text!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => NoteDto)
  reply?: NoteDto;
}

class SearchDto {
  @IsOptional()
  @IsString()
  q?: string;
}

@Controller('notes')
class NotesController {
  @Post()
  create(@Body() note: NoteDto): { text: string } {
    return { text: note.text };
  }

  @Get()
  search(@Query() query: SearchDto): { q: string | null } {
    return { q: query.q ?? null };
  }

  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({
  controllers: [NotesController],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useValue: new ApiErrorFilter() },
  ],
})
class NotesModule {}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('createHttpEdgeAdapter: input sanity and one error shape through a real Nest Fastify app', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(
      NotesModule,
      createHttpEdgeAdapter({ bodyLimit: 4096, maxDepth: 8 }),
      { bufferLogs: true, abortOnError: false },
    );
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });

  afterAll(() => app.close());

  /** node:http rather than fetch, so headers and bodies go out exactly as written (no normalising). */
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      request.on('error', reject);
      request.end(body);
    });
  }
  const postJson = (body: string) => send('POST', '/notes', { 'content-type': 'application/json' }, body);

  const expectShape = (answer: Answer, status: number) => {
    expect(answer.status).toBe(status);
    expect(Object.keys(answer.body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
    expect(answer.body['statusCode']).toBe(status);
  };

  it('passes an ordinary body through', async () => {
    expect(await postJson('{"text":"hello 🎉","reply":{"text":"hi"}}')).toEqual({
      status: 201,
      body: { text: 'hello 🎉' },
    });
  });

  it.each([
    ['a NUL character', '{"text":"a\\u0000b"}', 'text', 'must not contain NUL characters'],
    ['a lone surrogate', '{"text":"a\\ud800"}', 'text', 'must not contain unpaired UTF-16 surrogates'],
    ['a bad key', '{"text":"a","reply":{"\\u0000":"x"}}', 'reply.\\u0000', 'must not contain NUL characters'],
    ['a __proto__ key', '{"text":"a","__proto__":{"x":1}}', '__proto__', 'is not an accepted property name'],
  ])('refuses %s with a 400 naming the field', async (_name, body, field, message) => {
    const answer = await postJson(body);
    expectShape(answer, 400);
    expect(answer.body['details']).toEqual([{ field, message }]);
  });

  it('refuses nesting past maxDepth before class-transformer recurses into it', async () => {
    const answer = await postJson(`{"text":"a","reply":${'{"reply":'.repeat(20)}{}${'}'.repeat(20)}}`);
    expectShape(answer, 400);
    expect(answer.body['message']).toMatch(/^reply(\.reply)+: must not nest deeper than 8 levels$/);
  });

  it('refuses invalid and empty JSON with a 400 naming the body', async () => {
    expect((await postJson('{"text":')).body['details']).toEqual([
      { field: 'body', message: 'is not valid JSON' },
    ]);
    expectShape(await postJson(''), 400);
  });

  it('checks the query string too', async () => {
    const answer = await send('GET', '/notes?q=a%00b', {});
    expectShape(answer, 400);
    expect(answer.body['details']).toEqual([{ field: 'q', message: 'must not contain NUL characters' }]);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'text=hello'],
    ['text/plain', 'hello'],
  ])('answers 415 for a %s body', async (contentType, body) => {
    const answer = await send('POST', '/notes', { 'content-type': contentType }, body);
    expectShape(answer, 415);
    expect(answer.body['message']).toBe(`content-type ${contentType} is not accepted: send application/json`);
  });

  it('answers 413, 414, 431 and 404 in the same shape, without Fastify codes or the echoed path', async () => {
    expectShape(await postJson(JSON.stringify({ text: 'x'.repeat(5000) })), 413);
    const tooLong = await send('GET', `/notes/${'a'.repeat(200)}`, {});
    expectShape(tooLong, 414);
    expect(tooLong.body['message']).toBe('a path parameter is longer than the server accepts');
    const headers = await send('GET', '/notes', { 'x-padding': 'a'.repeat(20_000) });
    expectShape(headers, 431);
    expect(headers.body['message']).toBe('the request headers are larger than the server accepts');
    expectShape(await send('GET', '/nowhere', {}), 404);
  });
});
