import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, Min } from 'class-validator';
import { IsIsoInstant, IsOmittable, createValidationPipe, toApiError } from '../src/index.js';

const ONE_RULE = 'must be an integer from 1 up';

class ChangeDto {
  @IsOmittable()
  @IsString()
  title?: string;

  @IsOmittable()
  @IsIsoInstant({
    notBefore: () => new Date('2000-01-01T00:00:00Z'),
    notAfter: () => new Date('2040-01-01T00:00:00Z'),
  })
  startsAt?: string;

  @IsOmittable()
  @IsInt({ message: ONE_RULE })
  @Min(1, { message: ONE_RULE })
  size?: number;
}

async function details(value: unknown): Promise<unknown> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype: ChangeDto });
    return [];
  } catch (error) {
    return toApiError(error).details;
  }
}

describe('IsOmittable', () => {
  it('lets a property be left out but refuses it as null', async () => {
    expect(await details({})).toEqual([]);
    expect(await details({ title: null })).toEqual([{ field: 'title', message: 'must be a string' }]);
  });
});

describe('IsIsoInstant', () => {
  it.each(['2031-05-01T09:00:00Z', '2031-05-01T09:00+09:00', '2031-05-01T09:00:00.123456-05:00'])(
    'accepts %s',
    async (startsAt) => {
      expect(await details({ startsAt })).toEqual([]);
    },
  );

  it.each([
    '2031-05-01',
    '2031-05-01T09:00:00',
    '2031-02-30T09:00:00Z',
    '2031-05-01 09:00:00Z',
    1_900_000_000,
  ])('refuses %s as not a full date-time with offset', async (startsAt) => {
    expect(await details({ startsAt })).toEqual([
      {
        field: 'startsAt',
        message: 'must be an ISO 8601 date-time with an offset, e.g. 2031-05-01T09:00:00Z',
      },
    ]);
  });

  it('names the bound an instant is outside of', async () => {
    expect(await details({ startsAt: '1970-01-01T00:00:00Z' })).toEqual([
      { field: 'startsAt', message: 'must not be before 2000-01-01T00:00:00.000Z' },
    ]);
    expect(await details({ startsAt: '9999-01-01T00:00:00Z' })).toEqual([
      { field: 'startsAt', message: 'must not be after 2040-01-01T00:00:00.000Z' },
    ]);
  });
});

describe('createValidationPipe details', () => {
  it('says a message two constraints share once', async () => {
    expect(await details({ size: 'big' })).toEqual([{ field: 'size', message: ONE_RULE }]);
  });
});
