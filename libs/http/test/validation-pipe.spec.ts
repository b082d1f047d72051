import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { createValidationPipe, toApiError, type ValidationPipeOptions } from '../src/index.js';

class WardDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  @Max(99)
  floor!: number;
}

async function rejection(value: unknown, options?: ValidationPipeOptions): Promise<unknown> {
  try {
    await createValidationPipe(options).transform(value, { type: 'body', metatype: WardDto });
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
        { field: 'extra', problems: ['property extra should not exist'] },
        { field: 'floor', problems: expect.arrayContaining(['floor must be an integer number']) },
      ],
    });
  });

  it('per-constraint details are the default', async () => {
    expect(await rejection({ name: 'x', floor: 120 })).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'floor: floor must not be greater than 99',
      details: [{ field: 'floor', message: 'floor must not be greater than 99' }],
    });
  });
});
