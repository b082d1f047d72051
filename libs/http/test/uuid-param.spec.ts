import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { toApiError, uuidParam } from '../src/index.js';

const metadata: ArgumentMetadata = { type: 'param', data: 'id' };

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return toApiError(error);
  }
  throw new Error('expected a refusal');
}

describe('uuidParam', () => {
  it('passes a UUID on in lower case, so string keys built from it match the stored (lower-case) ids', () => {
    const id = '0F8FAD5B-D9CB-469F-A165-70867728950E';
    expect(uuidParam('id').transform(id, metadata)).toBe(id.toLowerCase());
  });

  it('refuses anything else with a 400 naming the field, in the style asked for', () => {
    expect(refusal(() => uuidParam('id').transform('not-a-uuid', metadata))).toMatchObject({
      statusCode: 400,
      details: [{ field: 'id', message: 'must be a UUID' }],
    });
    expect(refusal(() => uuidParam('wardId', 'per-field').transform('-'.repeat(36), metadata))).toMatchObject(
      {
        statusCode: 400,
        message: 'invalid request: wardId',
        details: [{ field: 'wardId', problems: ['must be a UUID'] }],
      },
    );
  });
});
