import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { createValidationPipe, toApiError, type ValidationPipeOptions } from '../src/index.js';

class WardDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  @Max(99)
  floor!: number;
}

class BedDto {
  @IsInt({ message: 'bed: must be a whole number' })
  bed!: number;
}

class RoomDto {
  @ValidateNested()
  @Type(() => BedDto)
  place!: BedDto;
}

async function rejection(
  value: unknown,
  options?: ValidationPipeOptions,
  metatype: new () => object = WardDto,
): Promise<unknown> {
  try {
    await createValidationPipe(options).transform(value, { type: 'body', metatype });
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return toApiError(error);
  }
  throw new Error('expected a validation error');
}

describe('createValidationPipe', () => {
  it('per-field details group every problem of a field', async () => {
    expect(await rejection({ name: 'x', floor: 'high', extra: 1 }, { details: 'per-field' })).toMatchObject({
      statusCode: 400,
      message: 'invalid request: extra, floor',
      details: [
        { field: 'extra', problems: ['should not exist'] },
        { field: 'floor', problems: expect.arrayContaining(['must be an integer number']) },
      ],
    });
  });

  it('per-constraint details are the default', async () => {
    expect(await rejection({ name: 'x', floor: 120 })).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'floor: must not be greater than 99',
      details: [{ field: 'floor', message: 'must not be greater than 99' }],
    });
  });

  it('names each field once: in the detail and as the summary prefix, never inside the message', async () => {
    expect(await rejection({ place: { bed: 'window' }, extra: 1 }, {}, RoomDto)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'extra: should not exist; place.bed: must be a whole number',
      details: [
        { field: 'extra', message: 'should not exist' },
        { field: 'place.bed', message: 'must be a whole number' },
      ],
    });
  });
});
