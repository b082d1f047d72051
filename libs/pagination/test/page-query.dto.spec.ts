import { describe, expect, test } from '@jest/globals';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  createPageQueryDto,
  encodeKeysetCursor,
  PageQueryDto,
  type KeysetSort,
  type KeysetCursorScope,
} from '../src/index.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

class WidePageQueryDto extends createPageQueryDto({
  maxLimit: 500,
  defaultLimit: 50,
}) {}

const SORT: KeysetSort = [
  { column: 'created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'id', type: 'bigint', direction: 'DESC' },
];
class FeedPageQueryDto extends createPageQueryDto({ sort: SORT }) {}

async function messagesFor(dto: new () => object, query: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, query));
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('PageQueryDto', () => {
  test('defaults the page size and converts it from the query string', async () => {
    expect(plainToInstance(PageQueryDto, {}).limit).toBe(20);
    expect(plainToInstance(PageQueryDto, { limit: '35' }).limit).toBe(35);
    expect(await messagesFor(PageQueryDto, { limit: '100' })).toEqual([]);
  });

  test.each(['0', '101', '-3', '2.5', 'ten', '', '0x10', ' 5', '1e1', '+5'])(
    'rejects limit=%p with a field-level message',
    async (limit) => {
      expect(await messagesFor(PageQueryDto, { limit })).toContain('limit: must be an integer from 1 to 100');
    },
  );

  test('takes a different maximum per endpoint', async () => {
    expect(plainToInstance(WidePageQueryDto, {}).limit).toBe(50);
    expect(await messagesFor(WidePageQueryDto, { limit: '500' })).toEqual([]);
    expect(await messagesFor(WidePageQueryDto, { limit: '501' })).toEqual([
      'limit: must be an integer from 1 to 500',
    ]);
  });

  test('accepts a cursor it issued and rejects a malformed one', async () => {
    const cursor = encodeKeysetCursor(['2024-03-01T10:20:30.123456Z', '42'], SCOPE);
    expect(await messagesFor(PageQueryDto, { cursor })).toEqual([]);
    expect(await messagesFor(PageQueryDto, { cursor: '%%%' })).toEqual(['cursor: is not base64url-encoded']);
    expect(await messagesFor(PageQueryDto, { cursor: ['a', 'b'] })).toEqual([
      'cursor: must be a single string',
    ]);
  });

  test('with the list sort, also checks the cursor key types', async () => {
    const foreign = encodeKeysetCursor(['not-a-time', '42'], SCOPE);
    expect(await messagesFor(PageQueryDto, { cursor: foreign })).toEqual([]);
    expect(await messagesFor(FeedPageQueryDto, { cursor: foreign })).toEqual([
      'cursor: key 1 is not a valid timestamptz',
    ]);
  });

  test('through Nest ValidationPipe it is a 400 listing each bad field', async () => {
    const pipe = new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    const metadata = { type: 'query' as const, metatype: PageQueryDto };
    await expect(pipe.transform({ limit: '7' }, metadata)).resolves.toMatchObject({ limit: 7 });
    const rejection: unknown = await pipe
      .transform({ cursor: '%%%', limit: '1000' }, metadata)
      .catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(BadRequestException);
    const response = (rejection as BadRequestException).getResponse() as {
      statusCode: number;
      message: string[];
    };
    expect(response.statusCode).toBe(400);
    expect(response.message.sort()).toEqual([
      'cursor: is not base64url-encoded',
      'limit: must be an integer from 1 to 100',
    ]);
  });

  test('documents its bounds in the OpenAPI metadata', () => {
    const limit = Reflect.getMetadata(
      'swagger/apiModelProperties',
      WidePageQueryDto.prototype,
      'limit',
    ) as Record<string, unknown>;
    expect(limit).toMatchObject({
      required: false,
      minimum: 1,
      maximum: 500,
      default: 50,
    });
  });
});
